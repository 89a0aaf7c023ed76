// The X.509 extensions a verifier needs and node:crypto does not expose: the keyUsage bits and whether
// extendedKeyUsage is critical (X509Certificate.keyUsage lists the extended usages only). Read from the
// DER with node-forge's ASN.1 reader, so a certificate of any key type can be inspected.
import forge from 'node-forge';

const { asn1 } = forge;

/** RFC 5280 §4.2.1.3, bit order. nonRepudiation is called contentCommitment since X.509 (2008). */
const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsageBit = (typeof KEY_USAGE_BITS)[number];

export interface CertificateUsage {
  /** undefined: the certificate has no keyUsage extension */
  keyUsage?: Set<KeyUsageBit>;
  extKeyUsage?: { critical: boolean; oids: string[] };
}

export const OID_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

export function certificateUsage(der: Buffer): CertificateUsage {
  const cert = asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const extsNode = tbs.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  const out: CertificateUsage = {};
  if (!extsNode) return out;
  for (const ext of (extsNode.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]) {
    const parts = ext.value as forge.asn1.Asn1[];
    const oid = asn1.derToOid(parts[0]!.value as string);
    const critical = parts.length === 3 && (parts[1]!.value as string) !== '\x00';
    const inner = asn1.fromDer(parts[parts.length - 1]!.value as string);
    if (oid === '2.5.29.15') {
      // BIT STRING: first octet = unused bits, then the bits most significant first.
      const bytes = inner.value as string;
      const set = new Set<KeyUsageBit>();
      KEY_USAGE_BITS.forEach((name, i) => {
        const octet = bytes.charCodeAt(1 + (i >> 3));
        if (!Number.isNaN(octet) && octet & (0x80 >> (i & 7))) set.add(name);
      });
      out.keyUsage = set;
    } else if (oid === '2.5.29.37') {
      out.extKeyUsage = { critical, oids: (inner.value as forge.asn1.Asn1[]).map((o) => asn1.derToOid(o.value as string)) };
    }
  }
  return out;
}
