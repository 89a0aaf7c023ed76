// Localized texts that travel in SOAP (SignResponse/Message, VerificationResult/Message: ≤100 chars,
// MSIGN.md §3.3) and on the signing pages. ro is the default (§4.2).
import type { Lang } from '../lang.js';

export type MessageKey = 'cancelled' | 'wrongSigner' | 'signerTypeNatural' | 'signerTypeLegal' | 'delegation' | 'expired' | 'valid' | 'invalid' | 'noSignature' | 'signingError' | 'untrustedSigner' | 'untrustedTimestamp' | 'certificateNotValid';

const TEXTS: Record<Lang, Record<MessageKey, string>> = {
  en: {
    cancelled: 'The user cancelled the signing.',
    wrongSigner: 'Signer IDNP {found} is not the expected signer {expected}.',
    signerTypeNatural: 'This service accepts only signatures of natural persons.',
    signerTypeLegal: 'This service accepts only signatures on behalf of an organisation.',
    delegation: 'The signer cannot sign on behalf of {delegator}.',
    expired: 'The signing request has expired.',
    valid: 'The signature is valid',
    invalid: 'The signature is not valid',
    noSignature: 'No signature was found',
    signingError: 'The document could not be signed: {detail}',
    untrustedSigner: 'Not valid: the signer certificate is not a qualified signing certificate.',
    untrustedTimestamp: 'Not valid: the signature time-stamp is not from a trusted time-stamping authority.',
    certificateNotValid: 'Not valid: the signer certificate was not valid at the signing time.',
  },
  ro: {
    cancelled: 'Utilizatorul a anulat semnarea.',
    wrongSigner: 'Semnatarul cu IDNP {found} nu este semnatarul așteptat {expected}.',
    signerTypeNatural: 'Acest serviciu acceptă doar semnături ale persoanelor fizice.',
    signerTypeLegal: 'Acest serviciu acceptă doar semnături în numele unei organizații.',
    delegation: 'Semnatarul nu poate semna în numele {delegator}.',
    expired: 'Cererea de semnare a expirat.',
    valid: 'Semnătura este validă',
    invalid: 'Semnătura nu este validă',
    noSignature: 'Nu a fost găsită nicio semnătură',
    signingError: 'Documentul nu a putut fi semnat: {detail}',
    untrustedSigner: 'Nevalidă: certificatul semnatarului nu este un certificat calificat de semnătură.',
    untrustedTimestamp: 'Nevalidă: marca temporală nu provine de la o autoritate de marcare temporală de încredere.',
    certificateNotValid: 'Nevalidă: certificatul semnatarului nu era valabil la momentul semnării.',
  },
  ru: {
    cancelled: 'Пользователь отменил подписание.',
    wrongSigner: 'Подписант с IDNP {found} не является ожидаемым подписантом {expected}.',
    signerTypeNatural: 'Эта услуга принимает только подписи физических лиц.',
    signerTypeLegal: 'Эта услуга принимает только подписи от имени организации.',
    delegation: 'Подписант не может подписывать от имени {delegator}.',
    expired: 'Срок запроса на подпись истёк.',
    valid: 'Подпись действительна',
    invalid: 'Подпись недействительна',
    noSignature: 'Подпись не найдена',
    signingError: 'Документ не удалось подписать: {detail}',
    untrustedSigner: 'Недействительна: сертификат подписанта не является квалифицированным.',
    untrustedTimestamp: 'Недействительна: метка времени выдана не доверенной службой меток времени.',
    certificateNotValid: 'Недействительна: сертификат подписанта не действовал в момент подписания.',
  },
};

export interface LocalizedMessage {
  key: MessageKey;
  params?: Record<string, string>;
}

export function localize(m: LocalizedMessage, lang: Lang): string {
  return TEXTS[lang][m.key].replace(/\{(\w+)\}/g, (_, k: string) => m.params?.[k] ?? '').slice(0, 100);
}
