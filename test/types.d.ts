// The SAML XSD validator ships no type declarations.
declare module '@authenio/samlify-xmllint-wasm' {
  /** Resolves true for a schema-valid SAML protocol message; rejects otherwise. */
  export function validate(xml: string): Promise<true>;
}
