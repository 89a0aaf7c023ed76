// GetSignResponse (MSIGN.md §4.2): status, results in request order, localized Message.
import { asLang, type Lang } from '../../lang.js';
import { fault, invalid } from '../soap/faults.js';
import type { Obj } from '../soap/envelope.js';
import { localize } from '../messages.js';
import type { SignRequestRecord } from '../store.js';

export function readGetSignResponse(params: Obj): { requestId: string; lang: Lang } {
  const requestId = ((params.requestID as string | null | undefined) ?? '').trim();
  if (!requestId) throw invalid('GetSignResponse/requestID', 'requestID is missing.', 'Send the RequestID returned by PostSignRequest.');
  const raw = params.language as string | null | undefined;
  const lang = raw ? asLang(raw) : 'ro';
  if (!lang) throw invalid('GetSignResponse/language', `language "${raw}" is not supported.`, 'Send ro, ru or en, or nil for ro.', { found: raw ?? '' });
  return { requestId, lang };
}

export function signResponse(rec: SignRequestRecord | undefined, requestId: string, callerServiceId: string, lang: Lang): Obj {
  if (!rec) throw fault('RequestNotFound', 'GetSignResponse/requestID', `Cannot find such request: ${requestId} (unknown, or finished and removed after the retention time).`, 'Post a new SignRequest and use the RequestID it returns.', { found: requestId });
  if (rec.serviceId !== callerServiceId) {
    throw fault('AuthorizationFailed', 'GetSignResponse/requestID', 'This signature request was not initiated by this system.', 'Ask for the RequestIDs your own service posted, with its own client certificate.', { found: requestId });
  }
  switch (rec.status) {
    case 'Pending':
      return { Message: null, Results: null, Status: 'Pending' };
    case 'Success':
      return {
        Message: null,
        Results: (rec.results ?? []).map((x) => ({ Certificate: x.certificate ?? null, CorrelationID: x.correlationId ?? null, Signature: x.signature ?? null })),
        Status: 'Success',
      };
    case 'Failure':
      return {
        Message: rec.failure ? localize(rec.failure, lang) : null,
        Results: rec.request.contents.map((c) => ({ CorrelationID: c.correlationId })),
        Status: 'Failure',
      };
    case 'Expired':
      return { Message: localize(rec.failure ?? { key: 'expired' }, lang), Results: null, Status: 'Expired' };
  }
}
