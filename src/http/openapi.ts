// OpenAPI 3.1 description of every /api route, served at /api/openapi.json (README "Automation API").
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errors = {
  400: json(ref('Errors'), 'Invalid input: every problem, each with the field and the fix'),
  401: json(ref('Error'), 'ADMIN_TOKEN set and missing/wrong Bearer token'),
  403: json(ref('Error'), 'ERR_CROSS_SITE_REQUEST: sent by a page of another site (Origin / Sec-Fetch-Site)'),
  415: json(ref('Error'), 'ERR_UNSUPPORTED_MEDIA_TYPE: a body that is not application/json'),
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const sessionIndexParam = { name: 'sessionIndex', in: 'path', required: true, schema: { type: 'string' }, description: 'The SessionIndex of the session (as in the Assertion and GET /api/sessions)' };
/** Reads that need ADMIN_TOKEN when it is set (they reveal other teams' traffic). */
const adminRead = { security: [{ adminToken: [] }] };

export function openApi(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'MPass/MSign Sandbox API',
      version: '0.1.0',
      description: 'Registry, test identities, event log, fault catalogue and automation hooks of the sandbox. When ADMIN_TOKEN is set, every write — and the reads of events, sessions, scripts and sign requests — needs Authorization: Bearer <token>. Every request must use a Host the sandbox answers to (PUBLIC_URL, ALLOWED_HOSTS) or gets 421; writes from a page of another site get 403; JSON routes take application/json bodies only (415).',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'Only when the sandbox runs with ADMIN_TOKEN' } },
      schemas: {
        Rejection: { type: 'object', required: ['code', 'where', 'message', 'fix'], properties: { code: { type: 'string', examples: ['ERR_INVALID_FIELD'] }, where: { type: 'string' }, message: { type: 'string' }, found: { type: 'string' }, expected: { type: 'string' }, fix: { type: 'string' } } },
        Error: { type: 'object', properties: { error: ref('Rejection') } },
        Errors: { type: 'object', properties: { errors: { type: 'array', items: ref('Rejection') } } },
        Contract: { type: 'object', required: ['number', 'date'], properties: { number: { type: 'string' }, date: { type: 'string', format: 'date' } } },
        ServiceInput: {
          type: 'object',
          required: ['name', 'description', 'contact', 'certificate'],
          properties: {
            name: { type: 'object', required: ['ro', 'ru', 'en'], properties: { ro: { type: 'string' }, ru: { type: 'string' }, en: { type: 'string' } } },
            description: { type: 'string', description: 'One sentence' },
            contact: { type: 'object', required: ['name', 'email'], properties: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } } },
            certificate: { type: 'string', description: 'PEM, or base64 of the DER .cer — never a private key' },
            mpass: {
              type: 'object',
              required: ['issuer', 'assertionConsumerServiceUrl', 'logoutRequestUrl', 'logoutResponseUrl'],
              properties: {
                contract: ref('Contract'),
                issuer: { type: 'string' },
                assertionConsumerServiceUrl: { type: 'string', format: 'uri' },
                logoutRequestUrl: { type: 'string', format: 'uri' },
                logoutResponseUrl: { type: 'string', format: 'uri' },
                attributes: { type: 'array', items: { enum: ['IsResident', 'FirstName', 'LastName', 'BirthDate', 'Gender', 'EmailAddress', 'MobilePhone', 'HomePhone', 'Language', 'AdministeredLegalEntity', 'IDNO', 'CompanyName'] } },
                customAttributes: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, values: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } } } },
                signAssertion: { type: 'boolean' },
                faults: { type: 'array', items: { type: 'string' }, description: 'Fault ids (GET /api/faults) applied to every Response' },
              },
            },
            msign: { type: 'object', required: ['ipAddresses', 'signerType'], properties: { contract: ref('Contract'), ipAddresses: { type: 'array', items: { type: 'string' } }, signerType: { enum: ['natural', 'legal', 'both'] } } },
          },
        },
        Service: { allOf: [ref('ServiceInput'), { type: 'object', properties: { id: { type: 'string' }, certificateSerial: { type: 'string' }, source: { enum: ['fixture', 'api'] }, createdAt: { type: 'string' }, updatedAt: { type: 'string' }, certificateInfo: { type: 'object' } } }] },
        Fault: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' }, testCase: { type: ['string', 'null'] }, changes: { type: 'string', description: 'what the fault changes (over HTTP-POST)' }, overRedirect: { type: 'string', description: 'what it does when the message goes over HTTP-Redirect (query signature per the signing plan, SAML Bindings §3.4.4.1)' }, bindings: { type: 'array', items: { enum: ['HTTP-POST', 'HTTP-Redirect'] }, description: 'bindings it can be delivered over; a POST-only fault asked over Redirect is posted instead, noted in the event log' }, expected: { enum: ['must reject', 'must accept'] }, appliesTo: { enum: ['Response', 'LogoutRequest'] } } },
        Session: { type: 'object', description: 'Addressed by its SessionIndex; the SSO cookie value is never shown.', properties: { sessionIndex: { type: 'string' }, nameId: { type: 'string' }, persona: { type: 'object' }, authnInstant: { type: 'string' }, notOnOrAfter: { type: 'string' }, participants: { type: 'array', items: { type: 'object' } } } },
        LogoutRun: { type: 'object', properties: { id: { type: 'string' }, finished: { type: 'boolean' }, result: { type: ['object', 'null'] }, targets: { type: 'array', items: { type: 'object', properties: { issuer: { type: 'string' }, state: { enum: ['pending', 'sent', 'answered', 'error', 'timeout'] }, status: { type: 'string' }, detail: { type: 'string' }, causes: { type: 'array', items: { type: 'string' } } } } } } },
        Clock: { type: 'object', properties: { now: { type: 'string' }, offsetSeconds: { type: 'number' }, frozenAt: { type: ['string', 'null'] } } },
      },
    },
    paths: {
      '/api/services': {
        get: {
          summary: 'List registered services, one page at a time (X-Total-Count: the total; Link rel="next": the next page)',
          parameters: [
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: { 200: json({ type: 'array', items: ref('Service') }), ...errors },
        },
        post: { summary: 'Register a service (the integration form)', requestBody: { required: true, content: { 'application/json': { schema: ref('ServiceInput') } } }, responses: { 201: json(ref('Service'), 'Registered'), ...errors } },
      },
      '/api/services/{id}': {
        parameters: [idParam],
        get: { summary: 'One service', responses: { 200: json(ref('Service')), 404: json(ref('Error')) } },
        put: { summary: 'Replace a registration', requestBody: { required: true, content: { 'application/json': { schema: ref('ServiceInput') } } }, responses: { 200: json(ref('Service')), 404: json(ref('Error')), ...errors } },
        delete: { summary: 'Delete a registration', responses: { 204: { description: 'Deleted' }, 404: json(ref('Error')) } },
      },
      '/api/certificates': {
        post: { summary: 'Mock STISC: issue a service certificate from the sandbox CA', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['commonName'], properties: { commonName: { type: 'string' } } } } } }, responses: { 201: json({ type: 'object', properties: { serialNumber: { type: 'string' }, certificatePem: { type: 'string' }, privateKeyPem: { type: 'string' }, cer: { type: 'string', description: 'base64 DER' }, pfx: { type: 'string', description: 'base64 PKCS#12' }, pfxPassword: { type: 'string' }, caCertificatePem: { type: 'string' } } }, 'Issued'), ...errors } },
      },
      '/api/sp-metadata': {
        post: {
          summary: 'Read SP metadata into the MPass fields of the integration form (issuer, ACS, logout URLs, certificate)',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['metadata'], properties: { metadata: { type: 'string' } } } } } },
          responses: { 200: json({ type: 'object', properties: { issuer: { type: 'string' }, assertionConsumerServiceUrl: { type: 'string' }, logoutRequestUrl: { type: 'string' }, logoutResponseUrl: { type: 'string' }, certificate: { type: 'string' } } }), ...errors },
        },
      },
      '/api/personas': { get: { summary: 'Test identities', responses: { 200: json({ type: 'array', items: { type: 'object' } }) } } },
      '/api/faults': { get: { summary: 'The fault catalogue', responses: { 200: json({ type: 'array', items: ref('Fault') }) } } },
      '/api/decode': { post: { summary: 'Decode a pasted SAMLRequest/SAMLResponse (base64, deflated, URL-encoded, XML) or Redirect URL; answers the XML, a summary and the sandbox verdict, without side effects', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } } } }, responses: { 200: json({ type: 'object', properties: { decoded: { type: 'object' }, summary: { type: 'object' }, verdict: { type: 'object' } } }), ...errors } } },
      '/api/events': { get: { summary: 'Event log, newest first (bounded)', ...adminRead, parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } }, { name: 'protocol', in: 'query', schema: { enum: ['mpass', 'msign', 'registry'] } }], responses: { 200: json({ type: 'array', items: { type: 'object' } }) } } },
      '/api/script': {
        get: { summary: 'Queued scripts', ...adminRead, responses: { 200: json({ type: 'object', properties: { logins: { type: 'array', items: { type: 'object' } }, logouts: { type: 'array', items: { type: 'object' } } } }) } },
        post: {
          summary: 'Answer the next AuthnRequest(s) of a service at once, without the login page; and/or break the LogoutRequests of its next single logout(s)',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['issuer'], properties: { issuer: { type: 'string' }, persona: { type: 'string', description: 'IDNP of a persona (outcome success)' }, outcome: { enum: ['success', 'cancel'], default: 'success' }, faults: { type: 'array', items: { type: 'string' }, description: 'Response faults' }, logoutFaults: { type: 'array', items: { type: 'string' }, description: 'LogoutRequest faults for the next single logout(s); alone (without persona/outcome/faults) it scripts only the logout' }, times: { type: 'integer', default: 1 } } } } } },
          responses: { 201: json({ type: 'object' }, 'Queued'), ...errors },
        },
      },
      '/api/msign/script': {
        post: {
          summary: 'Finish the next SignRequest(s) of a service at once, without the signing page',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { serviceId: { type: 'string' }, serial: { type: 'string', description: 'certificate serial, any hex format (instead of serviceId)' }, outcome: { enum: ['success', 'cancel', 'expire', 'wrong-signer'], default: 'success' }, persona: { type: 'string', description: 'IDNP of the signer (default: ExpectedSigner.ID, else the first allowed identity)' }, times: { type: 'integer', default: 1, maximum: 1000 } } } } } },
          responses: { 201: json({ type: 'object', properties: { serviceId: { type: 'string' }, queued: { type: 'integer' } } }, 'Queued'), ...errors },
        },
      },
      '/api/msign/requests': { get: { summary: 'Stored MSign SignRequests and their status', ...adminRead, responses: { 200: json({ type: 'array', items: { type: 'object', properties: { requestId: { type: 'string' }, serviceId: { type: 'string' }, status: { enum: ['Pending', 'Success', 'Failure', 'Expired'] }, contentType: { enum: ['Hash', 'Pdf'] }, contents: { type: 'integer' }, createdAt: { type: 'string' }, expiresAt: { type: 'string' } } } }) } } },
      '/api/clock': {
        get: { summary: 'The sandbox clock', responses: { 200: json(ref('Clock')) } },
        put: { summary: 'Move or freeze the sandbox clock (every timestamp written or checked uses it)', requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ type: 'object', required: ['offsetSeconds'], properties: { offsetSeconds: { type: 'number' } } }, { type: 'object', required: ['frozenAt'], properties: { frozenAt: { type: 'string', format: 'date-time' } } }] } } } }, responses: { 200: json(ref('Clock')), ...errors } },
        delete: { summary: 'Back to real time', responses: { 200: json(ref('Clock')) } },
      },
      '/api/sessions': { get: { summary: 'Live MPass SSO sessions', ...adminRead, responses: { 200: json({ type: 'array', items: ref('Session') }) } } },
      '/api/sessions/{sessionIndex}': {
        parameters: [sessionIndexParam],
        get: { summary: 'One session, by SessionIndex', ...adminRead, responses: { 200: json(ref('Session')), 404: json(ref('Error')) } },
        delete: { summary: 'End the session at the sandbox only, as an expiry would (no service is told; its later LogoutRequest gets UnknownPrincipal)', responses: { 204: { description: 'Ended' }, 404: json(ref('Error')) } },
      },
      '/api/sessions/{sessionIndex}/logout': { parameters: [sessionIndexParam], post: { summary: 'Sandbox-initiated single logout (TC_FUNCT_05), the sandbox playing the browser', responses: { 200: json(ref('LogoutRun')), 404: json(ref('Error')) } } },
      '/api/reset': { post: { summary: 'Clear sessions, scripts, clock and events', parameters: [{ name: 'registry', in: 'query', schema: { type: 'boolean' }, description: 'Also drop registrations not loaded from fixtures' }], responses: { 200: json({ type: 'object' }) } } },
      '/api/conformance': {
        post: {
          summary: 'Grade a service against the official test plan (TC_FUNCT_01–05 and the fault catalogue): the sandbox plays a fresh browser per case',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['service', 'loginUrl', 'checkUrl'], properties: { service: { type: 'string', description: 'service id or MPass issuer' }, loginUrl: { type: 'string', description: 'GET starts an MPass login at the service' }, checkUrl: { type: 'string', description: 'answers 2xx only to a logged-in browser' }, logoutUrl: { type: 'string', description: 'GET starts the service\'s own logout (TC_FUNCT_04)' }, cases: { type: 'array', items: { type: 'string' }, description: 'default: the official plan' } } } } } },
          responses: { 201: json({ type: 'object', properties: { id: { type: 'string' }, status: { enum: ['running'] }, report: { type: 'string' }, junit: { type: 'string' } } }, 'Started'), ...errors },
        },
      },
      '/api/conformance/{id}': { parameters: [idParam], get: { summary: 'A conformance run: summary and each case with its verdict, reason and evidence', responses: { 200: json({ type: 'object', properties: { id: { type: 'string' }, status: { enum: ['running', 'done'] }, service: { type: 'object' }, startedAt: { type: 'string' }, finishedAt: { type: ['string', 'null'] }, summary: { type: 'object', properties: { passed: { type: 'integer' }, failed: { type: 'integer' }, errors: { type: 'integer' } } }, cases: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, testCase: { type: ['string', 'null'] }, title: { type: 'string' }, expected: { enum: ['accept', 'reject'] }, verdict: { enum: ['pass', 'fail', 'error'] }, reason: { type: 'string' }, fix: { type: 'string' }, evidence: { type: 'object' } } } } } }), 404: json(ref('Error')) } } },
      '/api/conformance/{id}/junit': { parameters: [idParam], get: { summary: 'The run as JUnit XML (one testcase per case)', responses: { 200: { description: 'JUnit XML', content: { 'application/xml': {} } }, 404: json(ref('Error')) } } },
      '/api/services/{id}/conformance': { parameters: [idParam], get: { summary: 'Conformance runs of a service, newest first', responses: { 200: json({ type: 'array', items: { type: 'object' } }), 404: json(ref('Error')) } } },
      '/api/services/{id}/readiness': { parameters: [idParam], get: { summary: 'Every reason production would refuse this registration or service', responses: { 200: json({ type: 'object', properties: { ready: { type: 'boolean' }, checks: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, ok: { type: 'boolean' }, message: { type: 'string' }, fix: { type: 'string' } } } } } }), 404: json(ref('Error')) } } },
      '/api/openapi.json': { get: { summary: 'This document', responses: { 200: json({ type: 'object' }) } } },
    },
    security: [{}, { adminToken: [] }],
  };
}
