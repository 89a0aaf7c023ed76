// Page texts in the three MPass/MSign languages (MPASS.md §2.3: ro is the default). English defines the keys;
// ro and ru are typed against them, so a missing translation is a compile error, not an English leftover.
import type { Lang } from '../lang.js';

const EN = {
    'app.title': 'MPass / MSign Sandbox',
    'nav.home': 'Home', 'nav.services': 'Services', 'nav.register': 'Register a service', 'nav.events': 'Event log', 'nav.meta': 'Metadata', 'nav.api': 'API',
    'login.title': 'Log in with MPass',
    'login.intro': 'The service below asks you to authenticate. Choose a test identity.',
    'login.service': 'Service', 'login.choose': 'Test identities', 'login.custom': 'Custom identity',
    'login.idnp': 'IDNP (13 digits)', 'login.firstName': 'First name', 'login.lastName': 'Last name', 'login.birthDate': 'Birth date',
    'login.continue': 'Log in as this identity', 'login.cancel': 'Cancel', 'login.faults': 'Break the Response on purpose (SAML advanced options)',
    'login.nonResident': 'non-resident', 'login.username': 'username',
    'login.acs': 'The answer will be posted to', 'login.acsDiffers': 'taken from the signed AuthnRequest; the registered default ACS is', 'error.backToService': 'Back to the service',
    'autopost.working': 'Working...', 'autopost.continue': 'Continue', 'autopost.noscript': 'JavaScript is off: press Continue to go on.',
    'error.title': 'The request was rejected', 'error.checked': 'What was checked', 'error.where': 'Where', 'error.found': 'Found', 'error.expected': 'Expected', 'error.fix': 'How to fix it', 'error.code': 'Code',
    'home.session': 'Your MPass session', 'home.none': 'You are not authenticated in MPass.', 'home.as': 'Logged in as', 'home.services': 'Services in this session', 'home.logout': 'Log out of every service',
    'home.until': 'Session valid until',
    'logout.title': 'Single logout', 'logout.done': 'You are no longer authenticated in MPass.', 'logout.progress': 'Logging out of every service of the session…',
    'logout.cause.0': 'framing refused: the LogoutRequest URL answers with X-Frame-Options (DENY or SAMEORIGIN) or a Content-Security-Policy frame-ancestors that does not list the MPass origin, so the browser blocks the page inside the hidden iframe (MPASS.md §8.2: allow framing by MPass on that URL)', 'logout.cause.1': 'session cookie not sent: a cookie with SameSite=Lax or Strict is not sent with a cross-site POST inside an iframe, so the service does not find the user and may not answer; use SameSite=None; Secure for the cookie this URL needs', 'logout.cause.2': 'no LogoutResponse: the service answered with an error page, a redirect elsewhere or nothing, or answered later than LOGOUT_TIMEOUT_MS (check its logs)', 'logout.sent': 'sent', 'logout.answered': 'answered', 'logout.timeout': 'timed out', 'logout.refused': 'refused framing', 'logout.badsig': 'bad signature', 'logout.error': 'error', 'logout.pending': 'waiting',
    'sign.title': 'Sign with MSign', 'sign.document': 'Documents to sign', 'sign.instrument': 'Signing instrument', 'sign.signer': 'Signer', 'sign.sign': 'Sign', 'sign.cancel': 'Cancel', 'sign.ok': 'OK',
    'sign.failed': 'Signing failed', 'sign.msisdn': 'Mobile number (MSISDN)', 'sign.idnp': 'IDNP', 'sign.unknown': 'This signing request does not exist, has finished or has expired.',
    'sign.done': 'Signed', 'sign.organisation': 'for the organisation',
    'sign.service': 'Requested by', 'sign.reason': 'Reason', 'sign.expected': 'Expected signer', 'sign.asPerson': 'as a natural person', 'sign.legalOnly': 'This service accepts only signatures on behalf of an organisation.', 'sign.naturalOnly': 'This service accepts only signatures of natural persons.',
    'sign.mobileHint': 'Mobile signature: type the signer\'s IDNP and mobile number.', 'sign.badMsisdn': 'The mobile number must be 8 to 15 digits, e.g. 37360000000.', 'sign.badIdnp': 'No test identity has this IDNP.', 'sign.choosePersona': 'Choose a signer.', 'sign.returnUrlMissing': 'ReturnUrl is missing or is not an absolute http(s) URL.',
    'sign.instr.mobile': 'Mobile signature', 'sign.instr.moldsign': 'MoldSign (USB token)', 'sign.instr.nationalid': 'National ID card', 'sign.instr.securesign': 'SecureSign (cloud)', 'sign.instr.tax': 'Fiscal Service (SFS) certificate', 'sign.instr.mobisign': 'MobiSign', 'sign.pending': 'Request', 'sign.expires': 'Expires at',
    'common.yes': 'yes', 'common.no': 'no', 'common.utc': 'UTC',
    'error.notFound': 'Page not found', 'error.back': 'Back', 'error.startAgain': 'Start again from the home page',
    'home.mpass': 'MPass — authentication (SAML 2.0)', 'home.msign': 'MSign — electronic signature (SOAP)', 'home.sso': 'Single sign-on and logout', 'home.count': 'Registered services',
    'home.msign.endpoint': 'SOAP endpoint (mutual TLS)', 'home.msign.ca': 'CA to trust', 'home.msign.page': 'Signing page',
    'meta.samlMetadata': 'SAML metadata', 'meta.download': 'download', 'meta.sso': 'Single sign-on', 'meta.slo': 'Single logout', 'meta.sloWhat': 'LogoutRequest and LogoutResponse', 'meta.idpCert': 'IdP signing certificate',
    'meta.msign.service': 'SOAP endpoint', 'meta.msign.mtls': 'mutual TLS', 'meta.msign.page': 'Signing page', 'meta.ca': 'Sandbox CA (stands in for STISC)', 'meta.ca.what': 'Issues service certificates (POST /api/certificates) and the MSign TLS server certificate: trust it in your MSign client.',
    'list.name': 'Name', 'list.issuer': 'MPass issuer', 'list.source': 'Source', 'list.empty': 'No service is registered yet.',
    'source.fixture': 'built-in example', 'source.api': 'registered', 'signer.natural': 'Natural person', 'signer.legal': 'Legal person', 'signer.both': 'Natural or legal person',
    'svc.created': 'Registered. Point your service at this sandbox: see the metadata page.', 'svc.names': 'Names', 'svc.description': 'Description', 'svc.contact': 'Contact', 'svc.certificate': 'Certificate', 'svc.serial': 'serial', 'svc.validTo': 'valid until', 'svc.source': 'Source',
    'svc.acs': 'Default ACS URL', 'svc.attributes': 'Attributes', 'svc.customAttributes': 'Custom attributes', 'svc.signAssertion': 'Assertion signed too', 'svc.faults': 'Faults on every Response', 'svc.contract': 'Contract', 'svc.ips': 'Allowed IP addresses', 'svc.signerType': 'Signer type',
    'svc.edit': 'Edit', 'svc.delete': 'Delete', 'svc.deleteConfirm': 'Delete this service? Its logins and signing requests stop working.',
    'svc.help': 'Configure your service', 'svc.help.aspnet': 'Official ASP.NET library: appsettings.json', 'svc.help.node': 'node-saml / passport-saml', 'svc.help.spmeta': 'Your service provider metadata', 'svc.help.msign': 'MSign client settings', 'svc.help.copy': 'Copy it into your project; the values are this service\'s own.',
    'svc.help.tryLogin': 'Try a login', 'svc.help.tryLoginWhat': 'Starts a login for this service with an AuthnRequest signed by the sandbox — only for the built-in examples whose key the sandbox holds.',
    'form.edit': 'Edit the service', 'form.service': 'Service', 'form.name.ro': 'Name in Romanian', 'form.name.ru': 'Name in Russian', 'form.name.en': 'Name in English', 'form.description': 'Description (one sentence)',
    'form.contact': 'Technical contact', 'form.contactName': 'Name of the contact person', 'form.email': 'E-mail', 'form.phone': 'Phone',
    'form.cert': 'Public certificate (.cer) — never the private key', 'form.certFile': 'Upload the .cer file', 'form.certPaste': '…or paste it (PEM)',
    'form.mpass': 'MPass (authentication)', 'form.issuer': 'Issuer (entity ID of the service)', 'form.acs': 'Default ACS URL', 'form.logoutRequestUrl': 'LogoutRequest URL', 'form.logoutResponseUrl': 'LogoutResponse URL',
    'form.contractNumber': 'Contract number', 'form.contractDate': 'Contract date', 'form.contractNote': 'Optional in the sandbox; required for production.',
    'form.attributes': 'Attributes to return', 'form.customAttributes': 'Custom attributes (JSON)', 'form.signAssertion': 'Sign the Assertion too', 'form.faults': 'Faults on every Response (SAML advanced options)',
    'form.msign': 'MSign (signing)', 'form.ips': 'Allowed IP addresses (one per line)', 'form.signerType': 'Signer type',
    'form.register': 'Register', 'form.save': 'Save', 'form.required': 'required',
    'form.helpers': 'Fill the form for me', 'form.helpersWhat': 'Both buttons fill this same form and keep what you already typed.',
    'form.commonName': 'Common name of the test certificate', 'form.issue': 'Issue a test certificate', 'form.metadata': 'Your service provider metadata (XML)', 'form.readMetadata': 'Read the metadata',
    'form.problems': 'Please correct these fields', 'form.value': 'value', 'form.filledCert': 'Filled in: the certificate. Nothing else was changed.', 'form.filledMeta': 'Filled in from the metadata:',
    'form.issued': 'Test certificate issued by the sandbox CA', 'form.serial': 'Serial', 'form.pfxPassword': 'The .pfx password is shown only once:', 'form.pfx': '.pfx (key and certificate)', 'form.key': 'private key (PEM)', 'form.keepKey': 'Keep the key on the service side; the form takes only the public certificate.',
    'form.keyCleared': 'The private key you pasted was removed from the form and was not stored.',
    'events.intro': 'Newest first; the same list as JSON at /api/events.', 'events.filter': 'Filter', 'events.protocol': 'Protocol', 'events.service': 'Service', 'events.verdict': 'Verdict', 'events.text': 'Text', 'events.all': 'all', 'events.apply': 'Apply',
    'events.live': 'Live updates', 'events.export': 'Export this exchange', 'events.answer': 'Answer', 'events.request': 'Request', 'events.empty': 'No message yet.',
    'events.summary': 'Summary', 'events.xml': 'Message', 'events.in': 'in', 'events.out': 'out', 'events.internal': 'internal',
    'verdict.accepted': 'accepted', 'verdict.rejected': 'rejected', 'verdict.info': 'info', 'verdict.sent': 'sent',
    'decode.title': 'Paste and decode', 'decode.what': 'Paste a SAMLRequest or SAMLResponse (base64, deflated, URL-encoded or raw XML) or a whole Redirect URL.', 'decode.go': 'Decode', 'decode.verdict': 'Sandbox verdict', 'decode.binding': 'Encoding',
    'sum.status': 'Status', 'sum.nameId': 'NameID', 'sum.attributes': 'Attributes', 'sum.conditions': 'Valid', 'sum.signature': 'Signature', 'sum.issuer': 'Issuer', 'sum.acs': 'ACS', 'sum.binding': 'Binding', 'sum.sigAlg': 'Signature algorithm', 'sum.operation': 'Operation', 'sum.caller': 'Caller certificate', 'sum.outcome': 'Outcome', 'sum.id': 'ID', 'sum.inResponseTo': 'In response to', 'sum.destination': 'Destination', 'sum.issueInstant': 'Issued',
    'sig.valid': 'valid', 'sig.invalid': 'does not verify', 'sig.none': 'not signed', 'sig.unknownIssuer': 'not checked (unknown issuer)',
    'login.faultsCustom': 'The options ticked above also apply to the custom identity below.', 'login.expect.reject': 'the service must reject it', 'login.expect.accept': 'the service must accept it',
    'logout.detail.finished': 'the logout finished before this service answered',
    'notfound.what': 'There is no page at this address.',
    'try.title': 'The Response of your test login', 'try.intro': 'The sandbox played the service: it signed the AuthnRequest with the service\'s key and received this Response at its own ACS. The whole exchange is in the event log.',
    'sign.countdown': 'left', 'sign.needMsisdn': 'Type the mobile number to sign with a mobile signature.',

} as const;

export type TextKey = keyof typeof EN;

const RO: Record<TextKey, string> = {
    'app.title': 'Sandbox MPass / MSign',
    'nav.home': 'Acasă', 'nav.services': 'Servicii', 'nav.register': 'Înregistrează un serviciu', 'nav.events': 'Jurnal', 'nav.meta': 'Metadate', 'nav.api': 'API',
    'login.title': 'Autentificare cu MPass',
    'login.intro': 'Serviciul de mai jos vă cere să vă autentificați. Alegeți o identitate de test.',
    'login.service': 'Serviciu', 'login.choose': 'Identități de test', 'login.custom': 'Identitate proprie',
    'login.idnp': 'IDNP (13 cifre)', 'login.firstName': 'Prenume', 'login.lastName': 'Nume', 'login.birthDate': 'Data nașterii',
    'login.continue': 'Autentificare cu această identitate', 'login.cancel': 'Anulează', 'login.faults': 'Strică intenționat răspunsul (opțiuni SAML avansate)',
    'login.nonResident': 'nerezident', 'login.username': 'nume de utilizator',
    'login.acs': 'Răspunsul va fi trimis la', 'login.acsDiffers': 'preluat din AuthnRequest semnat; ACS implicit înregistrat este', 'error.backToService': 'Înapoi la serviciu',
    'autopost.working': 'Se procesează...', 'autopost.continue': 'Continuă', 'autopost.noscript': 'JavaScript este dezactivat: apăsați Continuă.',
    'error.title': 'Cererea a fost respinsă', 'error.checked': 'Ce s-a verificat', 'error.where': 'Unde', 'error.found': 'Găsit', 'error.expected': 'Așteptat', 'error.fix': 'Cum se corectează', 'error.code': 'Cod',
    'home.session': 'Sesiunea MPass', 'home.none': 'Nu sunteți autentificat în MPass.', 'home.as': 'Autentificat ca', 'home.services': 'Serviciile din această sesiune', 'home.logout': 'Ieșire din toate serviciile',
    'home.until': 'Sesiune valabilă până la',
    'logout.title': 'Deconectare unică', 'logout.done': 'Nu mai sunteți autentificat în MPass.', 'logout.progress': 'Deconectare din toate serviciile sesiunii…',
    'logout.cause.0': 'încadrare refuzată: URL-ul LogoutRequest răspunde cu X-Frame-Options (DENY sau SAMEORIGIN) sau cu un Content-Security-Policy frame-ancestors care nu include originea MPass, deci browserul blochează pagina în iframe-ul ascuns (MPASS.md §8.2: permiteți încadrarea de către MPass pe acel URL)', 'logout.cause.1': 'cookie-ul de sesiune nu este trimis: un cookie cu SameSite=Lax sau Strict nu este trimis la un POST între site-uri într-un iframe, deci serviciul nu găsește utilizatorul și poate să nu răspundă; folosiți SameSite=None; Secure pentru cookie-ul de care are nevoie acest URL', 'logout.cause.2': 'niciun LogoutResponse: serviciul a răspuns cu o pagină de eroare, o redirecționare în altă parte sau nimic, ori a răspuns după LOGOUT_TIMEOUT_MS (verificați jurnalele lui)', 'logout.sent': 'trimis', 'logout.answered': 'a răspuns', 'logout.timeout': 'timp expirat', 'logout.refused': 'încadrare refuzată', 'logout.badsig': 'semnătură invalidă', 'logout.error': 'eroare', 'logout.pending': 'în așteptare',
    'sign.title': 'Semnare cu MSign', 'sign.document': 'Documente de semnat', 'sign.instrument': 'Instrument de semnare', 'sign.signer': 'Semnatar', 'sign.sign': 'Semnează', 'sign.cancel': 'Anulează', 'sign.ok': 'OK',
    'sign.failed': 'Semnarea a eșuat', 'sign.msisdn': 'Număr de mobil (MSISDN)', 'sign.idnp': 'IDNP', 'sign.unknown': 'Această cerere de semnare nu există, s-a încheiat sau a expirat.',
    'sign.done': 'Semnat', 'sign.organisation': 'pentru organizația',
    'sign.service': 'Solicitat de', 'sign.reason': 'Motiv', 'sign.expected': 'Semnatar așteptat', 'sign.asPerson': 'ca persoană fizică', 'sign.legalOnly': 'Acest serviciu acceptă doar semnături în numele unei organizații.', 'sign.naturalOnly': 'Acest serviciu acceptă doar semnături ale persoanelor fizice.',
    'sign.mobileHint': 'Semnătură mobilă: introduceți IDNP-ul și numărul de mobil al semnatarului.', 'sign.badMsisdn': 'Numărul de mobil trebuie să aibă 8–15 cifre, de ex. 37360000000.', 'sign.badIdnp': 'Nicio identitate de test nu are acest IDNP.', 'sign.choosePersona': 'Alegeți un semnatar.', 'sign.returnUrlMissing': 'ReturnUrl lipsește sau nu este un URL http(s) absolut.',
    'sign.instr.mobile': 'Semnătură mobilă', 'sign.instr.moldsign': 'MoldSign (token USB)', 'sign.instr.nationalid': 'Buletin de identitate electronic', 'sign.instr.securesign': 'SecureSign (în cloud)', 'sign.instr.tax': 'Certificat SFS', 'sign.instr.mobisign': 'MobiSign', 'sign.pending': 'Cerere', 'sign.expires': 'Expiră la',
    'common.yes': 'da', 'common.no': 'nu', 'common.utc': 'UTC',
    'error.notFound': 'Pagina nu a fost găsită', 'error.back': 'Înapoi', 'error.startAgain': 'Începeți din nou de la pagina principală',
    'home.mpass': 'MPass — autentificare (SAML 2.0)', 'home.msign': 'MSign — semnătură electronică (SOAP)', 'home.sso': 'Autentificare și deconectare unică', 'home.count': 'Servicii înregistrate',
    'home.msign.endpoint': 'Punct de acces SOAP (TLS mutual)', 'home.msign.ca': 'CA de încredere', 'home.msign.page': 'Pagina de semnare',
    'meta.samlMetadata': 'Metadate SAML', 'meta.download': 'descarcă', 'meta.sso': 'Autentificare unică', 'meta.slo': 'Deconectare unică', 'meta.sloWhat': 'LogoutRequest și LogoutResponse', 'meta.idpCert': 'Certificatul de semnare al IdP',
    'meta.msign.service': 'Punct de acces SOAP', 'meta.msign.mtls': 'TLS mutual', 'meta.msign.page': 'Pagina de semnare', 'meta.ca': 'CA-ul sandbox-ului (în locul STISC)', 'meta.ca.what': 'Emite certificatele serviciilor (POST /api/certificates) și certificatul TLS al serverului MSign: adăugați-l ca de încredere în clientul MSign.',
    'list.name': 'Denumire', 'list.issuer': 'Emitent MPass', 'list.source': 'Proveniență', 'list.empty': 'Niciun serviciu nu este înregistrat încă.',
    'source.fixture': 'exemplu inclus', 'source.api': 'înregistrat', 'signer.natural': 'Persoană fizică', 'signer.legal': 'Persoană juridică', 'signer.both': 'Persoană fizică sau juridică',
    'svc.created': 'Înregistrat. Îndreptați serviciul spre acest sandbox: vedeți pagina de metadate.', 'svc.names': 'Denumiri', 'svc.description': 'Descriere', 'svc.contact': 'Persoană de contact', 'svc.certificate': 'Certificat', 'svc.serial': 'seria', 'svc.validTo': 'valabil până la', 'svc.source': 'Proveniență',
    'svc.acs': 'URL ACS implicit', 'svc.attributes': 'Atribute', 'svc.customAttributes': 'Atribute proprii', 'svc.signAssertion': 'Se semnează și Assertion', 'svc.faults': 'Defecte în fiecare răspuns', 'svc.contract': 'Contract', 'svc.ips': 'Adrese IP permise', 'svc.signerType': 'Tip de semnatar',
    'svc.edit': 'Modifică', 'svc.delete': 'Șterge', 'svc.deleteConfirm': 'Ștergeți acest serviciu? Autentificările și cererile lui de semnare nu vor mai funcționa.',
    'svc.help': 'Configurați serviciul', 'svc.help.aspnet': 'Biblioteca oficială ASP.NET: appsettings.json', 'svc.help.node': 'node-saml / passport-saml', 'svc.help.spmeta': 'Metadatele furnizorului de servicii', 'svc.help.msign': 'Setările clientului MSign', 'svc.help.copy': 'Copiați-le în proiect; valorile sunt chiar ale acestui serviciu.',
    'svc.help.tryLogin': 'Încercați o autentificare', 'svc.help.tryLoginWhat': 'Pornește o autentificare pentru acest serviciu cu un AuthnRequest semnat de sandbox — doar pentru exemplele incluse, a căror cheie o deține sandbox-ul.',
    'form.edit': 'Modificarea serviciului', 'form.service': 'Serviciu', 'form.name.ro': 'Denumirea în română', 'form.name.ru': 'Denumirea în rusă', 'form.name.en': 'Denumirea în engleză', 'form.description': 'Descriere (o singură propoziție)',
    'form.contact': 'Persoană de contact tehnic', 'form.contactName': 'Numele persoanei de contact', 'form.email': 'E-mail', 'form.phone': 'Telefon',
    'form.cert': 'Certificat public (.cer) — niciodată cheia privată', 'form.certFile': 'Încărcați fișierul .cer', 'form.certPaste': '…sau lipiți-l (PEM)',
    'form.mpass': 'MPass (autentificare)', 'form.issuer': 'Issuer (identificatorul entității serviciului)', 'form.acs': 'URL ACS implicit', 'form.logoutRequestUrl': 'URL pentru LogoutRequest', 'form.logoutResponseUrl': 'URL pentru LogoutResponse',
    'form.contractNumber': 'Numărul contractului', 'form.contractDate': 'Data contractului', 'form.contractNote': 'Opțional în sandbox; obligatoriu în producție.',
    'form.attributes': 'Atribute returnate', 'form.customAttributes': 'Atribute proprii (JSON)', 'form.signAssertion': 'Semnează și Assertion', 'form.faults': 'Defecte în fiecare răspuns (opțiuni SAML avansate)',
    'form.msign': 'MSign (semnare)', 'form.ips': 'Adrese IP permise (câte una pe rând)', 'form.signerType': 'Tip de semnatar',
    'form.register': 'Înregistrează', 'form.save': 'Salvează', 'form.required': 'obligatoriu',
    'form.helpers': 'Completați formularul automat', 'form.helpersWhat': 'Ambele butoane completează același formular și păstrează ce ați introdus deja.',
    'form.commonName': 'Numele comun al certificatului de test', 'form.issue': 'Emite un certificat de test', 'form.metadata': 'Metadatele furnizorului de servicii (XML)', 'form.readMetadata': 'Citește metadatele',
    'form.problems': 'Corectați aceste câmpuri', 'form.value': 'valoarea', 'form.filledCert': 'A fost completat: certificatul. Nimic altceva nu s-a schimbat.', 'form.filledMeta': 'Completat din metadate:',
    'form.issued': 'Certificat de test emis de CA-ul sandbox-ului', 'form.serial': 'Seria', 'form.pfxPassword': 'Parola fișierului .pfx este afișată o singură dată:', 'form.pfx': '.pfx (cheie și certificat)', 'form.key': 'cheia privată (PEM)', 'form.keepKey': 'Păstrați cheia la serviciu; formularul primește doar certificatul public.',
    'form.keyCleared': 'Cheia privată lipită a fost scoasă din formular și nu a fost salvată.',
    'events.intro': 'Cele mai noi primele; aceeași listă în JSON la /api/events.', 'events.filter': 'Filtru', 'events.protocol': 'Protocol', 'events.service': 'Serviciu', 'events.verdict': 'Verdict', 'events.text': 'Text', 'events.all': 'toate', 'events.apply': 'Aplică',
    'events.live': 'Actualizare automată', 'events.export': 'Exportă acest schimb', 'events.answer': 'Răspuns', 'events.request': 'Cerere', 'events.empty': 'Niciun mesaj încă.',
    'events.summary': 'Rezumat', 'events.xml': 'Mesaj', 'events.in': 'intrare', 'events.out': 'ieșire', 'events.internal': 'intern',
    'verdict.accepted': 'acceptat', 'verdict.rejected': 'respins', 'verdict.info': 'informație', 'verdict.sent': 'trimis',
    'decode.title': 'Lipiți și decodificați', 'decode.what': 'Lipiți un SAMLRequest sau SAMLResponse (base64, comprimat, codificat URL sau XML brut) ori un URL Redirect întreg.', 'decode.go': 'Decodifică', 'decode.verdict': 'Verdictul sandbox-ului', 'decode.binding': 'Codificare',
    'sum.status': 'Stare', 'sum.nameId': 'NameID', 'sum.attributes': 'Atribute', 'sum.conditions': 'Valabil', 'sum.signature': 'Semnătură', 'sum.issuer': 'Emitent', 'sum.acs': 'ACS', 'sum.binding': 'Legătură', 'sum.sigAlg': 'Algoritm de semnare', 'sum.operation': 'Operație', 'sum.caller': 'Certificatul apelantului', 'sum.outcome': 'Rezultat', 'sum.id': 'ID', 'sum.inResponseTo': 'Răspuns la', 'sum.destination': 'Destinație', 'sum.issueInstant': 'Emis la',
    'sig.valid': 'validă', 'sig.invalid': 'nu se verifică', 'sig.none': 'nesemnat', 'sig.unknownIssuer': 'neverificată (emitent necunoscut)',
    'login.faultsCustom': 'Opțiunile bifate mai sus se aplică și identității proprii de mai jos.', 'login.expect.reject': 'serviciul trebuie să-l respingă', 'login.expect.accept': 'serviciul trebuie să-l accepte',
    'logout.detail.finished': 'deconectarea s-a încheiat înainte ca acest serviciu să răspundă',
    'notfound.what': 'La această adresă nu există nicio pagină.',
    'try.title': 'Răspunsul autentificării de test', 'try.intro': 'Sandbox-ul a jucat rolul serviciului: a semnat AuthnRequest cu cheia serviciului și a primit acest răspuns la propriul ACS. Tot schimbul este în jurnal.',
    'sign.countdown': 'rămas', 'sign.needMsisdn': 'Introduceți numărul de mobil pentru a semna cu semnătura mobilă.',

};

const RU: Record<TextKey, string> = {
    'app.title': 'Песочница MPass / MSign',
    'nav.home': 'Главная', 'nav.services': 'Сервисы', 'nav.register': 'Зарегистрировать сервис', 'nav.events': 'Журнал', 'nav.meta': 'Метаданные', 'nav.api': 'API',
    'login.title': 'Вход через MPass',
    'login.intro': 'Сервис ниже просит вас пройти аутентификацию. Выберите тестовую личность.',
    'login.service': 'Сервис', 'login.choose': 'Тестовые личности', 'login.custom': 'Своя личность',
    'login.idnp': 'IDNP (13 цифр)', 'login.firstName': 'Имя', 'login.lastName': 'Фамилия', 'login.birthDate': 'Дата рождения',
    'login.continue': 'Войти под этой личностью', 'login.cancel': 'Отмена', 'login.faults': 'Намеренно испортить ответ (расширенные параметры SAML)',
    'login.nonResident': 'нерезидент', 'login.username': 'имя пользователя',
    'login.acs': 'Ответ будет отправлен на', 'login.acsDiffers': 'взято из подписанного AuthnRequest; зарегистрированный ACS по умолчанию —', 'error.backToService': 'Вернуться в сервис',
    'autopost.working': 'Обработка...', 'autopost.continue': 'Продолжить', 'autopost.noscript': 'JavaScript отключён: нажмите «Продолжить».',
    'error.title': 'Запрос отклонён', 'error.checked': 'Что проверялось', 'error.where': 'Где', 'error.found': 'Найдено', 'error.expected': 'Ожидалось', 'error.fix': 'Как исправить', 'error.code': 'Код',
    'home.session': 'Ваш сеанс MPass', 'home.none': 'Вы не аутентифицированы в MPass.', 'home.as': 'Вы вошли как', 'home.services': 'Сервисы этого сеанса', 'home.logout': 'Выйти из всех сервисов',
    'home.until': 'Сеанс действителен до',
    'logout.title': 'Единый выход', 'logout.done': 'Вы больше не аутентифицированы в MPass.', 'logout.progress': 'Выход из всех сервисов сеанса…',
    'logout.cause.0': 'встраивание запрещено: URL LogoutRequest отвечает с X-Frame-Options (DENY или SAMEORIGIN) или с Content-Security-Policy frame-ancestors без источника MPass, поэтому браузер блокирует страницу в скрытом iframe (MPASS.md §8.2: разрешите встраивание MPass на этом URL)', 'logout.cause.1': 'cookie сеанса не отправлен: cookie с SameSite=Lax или Strict не отправляется с межсайтовым POST внутри iframe, поэтому сервис не находит пользователя и может не ответить; используйте SameSite=None; Secure для cookie, нужного этому URL', 'logout.cause.2': 'нет LogoutResponse: сервис ответил страницей ошибки, перенаправлением в другое место или ничем, либо ответил позже LOGOUT_TIMEOUT_MS (проверьте его журналы)', 'logout.sent': 'отправлено', 'logout.answered': 'ответил', 'logout.timeout': 'время истекло', 'logout.refused': 'запрет фреймов', 'logout.badsig': 'неверная подпись', 'logout.error': 'ошибка', 'logout.pending': 'ожидание',
    'sign.title': 'Подписание через MSign', 'sign.document': 'Документы для подписи', 'sign.instrument': 'Средство подписи', 'sign.signer': 'Подписант', 'sign.sign': 'Подписать', 'sign.cancel': 'Отмена', 'sign.ok': 'OK',
    'sign.failed': 'Подписание не удалось', 'sign.msisdn': 'Номер мобильного (MSISDN)', 'sign.idnp': 'IDNP', 'sign.unknown': 'Такой запрос на подпись не существует, завершён или истёк.',
    'sign.done': 'Подписано', 'sign.organisation': 'от имени организации',
    'sign.service': 'Запрошено', 'sign.reason': 'Причина', 'sign.expected': 'Ожидаемый подписант', 'sign.asPerson': 'как физическое лицо', 'sign.legalOnly': 'Эта услуга принимает только подписи от имени организации.', 'sign.naturalOnly': 'Эта услуга принимает только подписи физических лиц.',
    'sign.mobileHint': 'Мобильная подпись: введите IDNP и номер мобильного подписанта.', 'sign.badMsisdn': 'Номер мобильного должен содержать 8–15 цифр, например 37360000000.', 'sign.badIdnp': 'Нет тестовой личности с таким IDNP.', 'sign.choosePersona': 'Выберите подписанта.', 'sign.returnUrlMissing': 'ReturnUrl отсутствует или не является абсолютным URL http(s).',
    'sign.instr.mobile': 'Мобильная подпись', 'sign.instr.moldsign': 'MoldSign (USB-токен)', 'sign.instr.nationalid': 'Электронное удостоверение личности', 'sign.instr.securesign': 'SecureSign (облако)', 'sign.instr.tax': 'Сертификат ГНС', 'sign.instr.mobisign': 'MobiSign', 'sign.pending': 'Запрос', 'sign.expires': 'Истекает',
    'common.yes': 'да', 'common.no': 'нет', 'common.utc': 'UTC',
    'error.notFound': 'Страница не найдена', 'error.back': 'Назад', 'error.startAgain': 'Начать заново с главной страницы',
    'home.mpass': 'MPass — аутентификация (SAML 2.0)', 'home.msign': 'MSign — электронная подпись (SOAP)', 'home.sso': 'Единый вход и выход', 'home.count': 'Зарегистрированные сервисы',
    'home.msign.endpoint': 'Точка доступа SOAP (взаимный TLS)', 'home.msign.ca': 'Доверенный УЦ', 'home.msign.page': 'Страница подписи',
    'meta.samlMetadata': 'Метаданные SAML', 'meta.download': 'скачать', 'meta.sso': 'Единый вход', 'meta.slo': 'Единый выход', 'meta.sloWhat': 'LogoutRequest и LogoutResponse', 'meta.idpCert': 'Сертификат подписи IdP',
    'meta.msign.service': 'Точка доступа SOAP', 'meta.msign.mtls': 'взаимный TLS', 'meta.msign.page': 'Страница подписи', 'meta.ca': 'УЦ песочницы (вместо STISC)', 'meta.ca.what': 'Выпускает сертификаты сервисов (POST /api/certificates) и TLS-сертификат сервера MSign: добавьте его в доверенные в клиенте MSign.',
    'list.name': 'Название', 'list.issuer': 'Издатель MPass', 'list.source': 'Источник', 'list.empty': 'Пока не зарегистрировано ни одного сервиса.',
    'source.fixture': 'встроенный пример', 'source.api': 'зарегистрирован', 'signer.natural': 'Физическое лицо', 'signer.legal': 'Юридическое лицо', 'signer.both': 'Физическое или юридическое лицо',
    'svc.created': 'Зарегистрировано. Направьте сервис на эту песочницу: см. страницу метаданных.', 'svc.names': 'Названия', 'svc.description': 'Описание', 'svc.contact': 'Контактное лицо', 'svc.certificate': 'Сертификат', 'svc.serial': 'серийный номер', 'svc.validTo': 'действителен до', 'svc.source': 'Источник',
    'svc.acs': 'URL ACS по умолчанию', 'svc.attributes': 'Атрибуты', 'svc.customAttributes': 'Собственные атрибуты', 'svc.signAssertion': 'Assertion тоже подписывается', 'svc.faults': 'Дефекты в каждом ответе', 'svc.contract': 'Договор', 'svc.ips': 'Разрешённые IP-адреса', 'svc.signerType': 'Тип подписанта',
    'svc.edit': 'Изменить', 'svc.delete': 'Удалить', 'svc.deleteConfirm': 'Удалить этот сервис? Его входы и запросы на подпись перестанут работать.',
    'svc.help': 'Настройка сервиса', 'svc.help.aspnet': 'Официальная библиотека ASP.NET: appsettings.json', 'svc.help.node': 'node-saml / passport-saml', 'svc.help.spmeta': 'Метаданные поставщика услуг', 'svc.help.msign': 'Настройки клиента MSign', 'svc.help.copy': 'Скопируйте их в проект; значения — именно этого сервиса.',
    'svc.help.tryLogin': 'Попробовать вход', 'svc.help.tryLoginWhat': 'Начинает вход для этого сервиса с AuthnRequest, подписанным песочницей, — только для встроенных примеров, ключ которых есть у песочницы.',
    'form.edit': 'Изменение сервиса', 'form.service': 'Сервис', 'form.name.ro': 'Название на румынском', 'form.name.ru': 'Название на русском', 'form.name.en': 'Название на английском', 'form.description': 'Описание (одно предложение)',
    'form.contact': 'Технический контакт', 'form.contactName': 'Имя контактного лица', 'form.email': 'Эл. почта', 'form.phone': 'Телефон',
    'form.cert': 'Открытый сертификат (.cer) — никогда не закрытый ключ', 'form.certFile': 'Загрузите файл .cer', 'form.certPaste': '…или вставьте его (PEM)',
    'form.mpass': 'MPass (аутентификация)', 'form.issuer': 'Issuer (идентификатор сущности сервиса)', 'form.acs': 'URL ACS по умолчанию', 'form.logoutRequestUrl': 'URL для LogoutRequest', 'form.logoutResponseUrl': 'URL для LogoutResponse',
    'form.contractNumber': 'Номер договора', 'form.contractDate': 'Дата договора', 'form.contractNote': 'В песочнице необязательно; обязательно для продуктивной среды.',
    'form.attributes': 'Возвращаемые атрибуты', 'form.customAttributes': 'Собственные атрибуты (JSON)', 'form.signAssertion': 'Подписывать и Assertion', 'form.faults': 'Дефекты в каждом ответе (расширенные параметры SAML)',
    'form.msign': 'MSign (подпись)', 'form.ips': 'Разрешённые IP-адреса (по одному в строке)', 'form.signerType': 'Тип подписанта',
    'form.register': 'Зарегистрировать', 'form.save': 'Сохранить', 'form.required': 'обязательно',
    'form.helpers': 'Заполнить форму автоматически', 'form.helpersWhat': 'Обе кнопки заполняют эту же форму и сохраняют уже введённое.',
    'form.commonName': 'Общее имя тестового сертификата', 'form.issue': 'Выпустить тестовый сертификат', 'form.metadata': 'Метаданные поставщика услуг (XML)', 'form.readMetadata': 'Прочитать метаданные',
    'form.problems': 'Исправьте эти поля', 'form.value': 'значение', 'form.filledCert': 'Заполнено: сертификат. Больше ничего не изменено.', 'form.filledMeta': 'Заполнено из метаданных:',
    'form.issued': 'Тестовый сертификат выпущен УЦ песочницы', 'form.serial': 'Серийный номер', 'form.pfxPassword': 'Пароль файла .pfx показывается только один раз:', 'form.pfx': '.pfx (ключ и сертификат)', 'form.key': 'закрытый ключ (PEM)', 'form.keepKey': 'Храните ключ у сервиса; форма принимает только открытый сертификат.',
    'form.keyCleared': 'Вставленный закрытый ключ удалён из формы и не сохранён.',
    'events.intro': 'Сначала новые; тот же список в JSON: /api/events.', 'events.filter': 'Фильтр', 'events.protocol': 'Протокол', 'events.service': 'Сервис', 'events.verdict': 'Вердикт', 'events.text': 'Текст', 'events.all': 'все', 'events.apply': 'Применить',
    'events.live': 'Обновлять автоматически', 'events.export': 'Экспортировать этот обмен', 'events.answer': 'Ответ', 'events.request': 'Запрос', 'events.empty': 'Сообщений пока нет.',
    'events.summary': 'Сводка', 'events.xml': 'Сообщение', 'events.in': 'входящее', 'events.out': 'исходящее', 'events.internal': 'внутреннее',
    'verdict.accepted': 'принято', 'verdict.rejected': 'отклонено', 'verdict.info': 'сведения', 'verdict.sent': 'отправлено',
    'decode.title': 'Вставить и раскодировать', 'decode.what': 'Вставьте SAMLRequest или SAMLResponse (base64, сжатый, URL-кодированный или XML) либо весь URL Redirect.', 'decode.go': 'Раскодировать', 'decode.verdict': 'Вердикт песочницы', 'decode.binding': 'Кодирование',
    'sum.status': 'Статус', 'sum.nameId': 'NameID', 'sum.attributes': 'Атрибуты', 'sum.conditions': 'Действительно', 'sum.signature': 'Подпись', 'sum.issuer': 'Издатель', 'sum.acs': 'ACS', 'sum.binding': 'Привязка', 'sum.sigAlg': 'Алгоритм подписи', 'sum.operation': 'Операция', 'sum.caller': 'Сертификат вызывающего', 'sum.outcome': 'Результат', 'sum.id': 'ID', 'sum.inResponseTo': 'В ответ на', 'sum.destination': 'Получатель', 'sum.issueInstant': 'Выдано',
    'sig.valid': 'действительна', 'sig.invalid': 'не проверяется', 'sig.none': 'без подписи', 'sig.unknownIssuer': 'не проверена (неизвестный издатель)',
    'login.faultsCustom': 'Отмеченные выше параметры применяются и к своей личности ниже.', 'login.expect.reject': 'сервис должен его отклонить', 'login.expect.accept': 'сервис должен его принять',
    'logout.detail.finished': 'выход завершился раньше, чем ответил этот сервис',
    'notfound.what': 'По этому адресу нет страницы.',
    'try.title': 'Ответ тестового входа', 'try.intro': 'Песочница сыграла роль сервиса: подписала AuthnRequest ключом сервиса и получила этот ответ на собственный ACS. Весь обмен — в журнале.',
    'sign.countdown': 'осталось', 'sign.needMsisdn': 'Введите номер мобильного, чтобы подписать мобильной подписью.',

};

const T: Record<Lang, Record<TextKey, string>> = { en: EN, ro: RO, ru: RU };

export function translator(lang: Lang): (key: TextKey) => string {
  const table = T[lang];
  return (key) => table[key] ?? EN[key] ?? key;
}

/** Persona descriptions (fixtures/personas.json "label" is the English one). */
const PERSONA_LABELS: Record<string, { ro: string; ru: string }> = {
  'Resident, ro, no companies': { ro: 'Rezident, limba ro, fără companii', ru: 'Резидент, язык ro, без компаний' },
  'Administers one company': { ro: 'Administrează o companie', ru: 'Управляет одной компанией' },
  'Russian-speaking, several companies, no e-mail': { ro: 'Vorbitor de rusă, mai multe companii, fără e-mail', ru: 'Русскоязычный, несколько компаний, без эл. почты' },
  'English UI, diacritics in the name': { ro: 'Interfață în engleză, diacritice în nume', ru: 'Интерфейс на английском, диакритика в имени' },
  'Non-resident, gender unspecified, no phones': { ro: 'Nerezident, gen nespecificat, fără telefoane', ru: 'Нерезидент, пол не указан, без телефонов' },
  'Legal-person instrument (IDNO, CompanyName)': { ro: 'Instrument de persoană juridică (IDNO, CompanyName)', ru: 'Средство юридического лица (IDNO, CompanyName)' },
  'NameID is a username (no IDNP)': { ro: 'NameID este un nume de utilizator (fără IDNP)', ru: 'NameID — имя пользователя (без IDNP)' },
  'Legal-person instrument, Russian UI': { ro: 'Instrument de persoană juridică, interfață în rusă', ru: 'Средство юридического лица, интерфейс на русском' },
  'Young resident, minimal data': { ro: 'Rezident tânăr, date minime', ru: 'Молодой резидент, минимум данных' },
};

export function personaLabel(label: string | undefined, lang: Lang): string {
  if (!label || lang === 'en') return label ?? '';
  return PERSONA_LABELS[label]?.[lang] ?? label;
}

/** The fault catalogue (src/mpass/faults.ts) in ro and ru: title and what the sandbox changes. */
const FAULT_TEXTS: Record<string, { ro: [string, string]; ru: [string, string] }> = {
  'response-unsigned': { ro: ['Răspuns nesemnat', 'Nicio semnătură XML pe Response (nici pe Assertion).'], ru: ['Ответ без подписи', 'Нет XML-подписи ни на Response, ни на Assertion.'] },
  'compatible-certificate': { ro: ['Semnat cu certificatul „compatibil”', 'Semnat cu altă cheie, al cărei certificat are același subiect ca certificatul IdP al sandbox-ului (KeyInfo conține acel certificat).'], ru: ['Подписано «совместимым» сертификатом', 'Подписано другим ключом, сертификат которого имеет тот же субъект, что и сертификат IdP песочницы (KeyInfo содержит этот сертификат).'] },
  'issue-instant-local-time': { ro: ['IssueInstant în ora locală a Moldovei în loc de UTC', 'IssueInstant al Response și Assertion scris în ora Europe/Chisinau cu sufixul Z (2–3 ore în viitor).'], ru: ['IssueInstant в местном времени Молдовы вместо UTC', 'IssueInstant у Response и Assertion записан во времени Europe/Chisinau с суффиксом Z (на 2–3 ч в будущем).'] },
  'no-destination': { ro: ['Fără Destination', 'Response/@Destination lipsește.'], ru: ['Без Destination', 'Response/@Destination отсутствует.'] },
  'no-in-response-to': { ro: ['Fără InResponseTo', 'InResponseTo lipsește din Response și din SubjectConfirmationData.'], ru: ['Без InResponseTo', 'InResponseTo отсутствует в Response и в SubjectConfirmationData.'] },
  'in-response-to-other': { ro: ['InResponseTo al altei cereri', 'InResponseTo (Response și SubjectConfirmationData) indică un ID de AuthnRequest pe care serviciul nu l-a trimis.'], ru: ['InResponseTo другого запроса', 'InResponseTo (Response и SubjectConfirmationData) указывает ID AuthnRequest, который сервис не отправлял.'] },
  expired: { ro: ['Răspuns expirat', 'IssueInstant cu 1 oră în trecut; NotOnOrAfter din Conditions și SubjectConfirmationData cu 50 de minute în trecut.'], ru: ['Просроченный ответ', 'IssueInstant на 1 ч в прошлом; NotOnOrAfter в Conditions и SubjectConfirmationData на 50 мин в прошлом.'] },
  'not-yet-valid': { ro: ['Assertion încă nevalabil', 'Conditions/@NotBefore cu 1 oră în viitor.'], ru: ['Assertion ещё не действителен', 'Conditions/@NotBefore на 1 ч в будущем.'] },
  'wrong-audience': { ro: ['Audience greșit', 'Audience indică alt serviciu (https://other-service.example.test).'], ru: ['Неверный Audience', 'Audience указывает другой сервис (https://other-service.example.test).'] },
  'wrong-recipient': { ro: ['Recipient greșit', 'SubjectConfirmationData/@Recipient indică alt URL decât URL-ul ACS.'], ru: ['Неверный Recipient', 'SubjectConfirmationData/@Recipient указывает другой URL вместо URL ACS.'] },
  'wrong-issuer': { ro: ['Issuer greșit', 'Issuer-ul din Response și Assertion indică alt IdP (https://idp.attacker.example.test); semnat totuși cu cheia sandbox-ului.'], ru: ['Неверный Issuer', 'Issuer в Response и Assertion указывает другой IdP (https://idp.attacker.example.test); подписано всё же ключом песочницы.'] },
  'assertion-only-signed': { ro: ['Doar Assertion semnat', 'Assertion este semnat, rădăcina Response nu (MPass semnează întotdeauna rădăcina Response; clientul oficial citește doar semnătura rădăcinii).'], ru: ['Подписан только Assertion', 'Assertion подписан, корень Response — нет (MPass всегда подписывает корень Response; официальный клиент читает только подпись корня).'] },
  'attribute-tampered': { ro: ['Atribut modificat după semnare', 'După semnare se modifică primul AttributeValue (sau, fără atribute, NameID).'], ru: ['Атрибут изменён после подписи', 'После подписи меняется первый AttributeValue (или, без атрибутов, NameID).'] },
  'signature-wrapping': { ro: ['Învelirea semnăturii (XSW)', 'Response semnat este mutat în propria Signature (ds:Object); noua rădăcină este un Response nesemnat cu alt ID, al cărui Assertion are alt NameID. Semnătura se verifică — pe copia ascunsă.'], ru: ['Обёртывание подписи (XSW)', 'Подписанный Response перемещён внутрь своей Signature (ds:Object); новый корень — неподписанный Response с другим ID, Assertion которого содержит другой NameID. Подпись проверяется — по скрытой копии.'] },
  replay: { ro: ['Același răspuns livrat de două ori', 'Browserul trimite Response-ul identic la ACS de două ori (întâi într-un cadru ascuns, apoi în pagină); a doua livrare trebuie refuzată.'], ru: ['Один и тот же ответ дважды', 'Браузер дважды отправляет одинаковый Response на ACS (сначала в скрытом фрейме, затем в окне); вторая доставка должна быть отклонена.'] },
  'success-without-assertion': { ro: ['Stare Success fără Assertion', 'Stare Success, dar fără Assertion.'], ru: ['Статус Success без Assertion', 'Статус Success, но Assertion нет.'] },
  'responder-status': { ro: ['Stare Responder', 'Stare de nivel superior Responder (al doilea nivel AuthnFailed), fără Assertion: serviciul nu trebuie să autentifice utilizatorul și nu trebuie să arate o pagină de eroare.'], ru: ['Статус Responder', 'Статус верхнего уровня Responder (второй уровень AuthnFailed), без Assertion: сервис не должен впускать пользователя и не должен показывать страницу ошибки.'] },
  'sha1-signature': { ro: ['Semnătură RSA-SHA1', 'Semnat cu RSA-SHA1 și amprentă SHA-1 în loc de SHA-256 (XML-DSig valid, algoritm mai vechi).'], ru: ['Подпись RSA-SHA1', 'Подписано RSA-SHA1 с дайджестом SHA-1 вместо SHA-256 (корректная XML-DSig, более старый алгоритм).'] },
  'assertion-also-signed': { ro: ['Și Assertion semnat', 'Atât Response, cât și Assertion au o semnătură validă.'], ru: ['Assertion тоже подписан', 'И Response, и Assertion имеют действительную подпись.'] },
  'logout-unsigned': { ro: ['LogoutRequest nesemnat', 'LogoutRequest trimis serviciului la deconectarea unică nu are semnătură.'], ru: ['LogoutRequest без подписи', 'LogoutRequest, отправленный сервису при едином выходе, не подписан.'] },
  'logout-compatible-certificate': { ro: ['LogoutRequest semnat cu certificatul „compatibil”', 'LogoutRequest este semnat cu cealaltă cheie, care are același subiect.'], ru: ['LogoutRequest подписан «совместимым» сертификатом', 'LogoutRequest подписан другим ключом с тем же субъектом.'] },
  'logout-wrong-session-index': { ro: ['LogoutRequest cu SessionIndex greșit', 'SessionIndex este o valoare nouă, pe care serviciul nu a primit-o niciodată.'], ru: ['LogoutRequest с неверным SessionIndex', 'SessionIndex — новое значение, которого сервис никогда не получал.'] },
  'logout-wrong-destination': { ro: ['LogoutRequest cu Destination greșit', 'Destination indică alt URL decât URL-ul LogoutRequest înregistrat al serviciului.'], ru: ['LogoutRequest с неверным Destination', 'Destination указывает другой URL, чем зарегистрированный URL LogoutRequest сервиса.'] },
};

export function faultText(f: { id: string; title: string; changes: string }, lang: Lang): { title: string; changes: string } {
  const t = lang === 'en' ? undefined : FAULT_TEXTS[f.id]?.[lang];
  return t ? { title: t[0], changes: t[1] } : { title: f.title, changes: f.changes };
}

/**
 * The registration form's most frequent field messages (src/registry/validate.ts writes them in English):
 * the ro/ru sentence for the exact English one, so a person reads what is wrong with the field, not only
 * the catalogue's generic ERR_INVALID_FIELD sentence.
 */
const FIELD_TEXTS: Record<string, { ro: [string, string]; ru: [string, string] }> = {
  'This field is required.': { ro: ['Câmpul este obligatoriu.', 'Completați câmpul.'], ru: ['Поле обязательно.', 'Заполните поле.'] },
  'This URL is required.': { ro: ['URL-ul este obligatoriu.', 'Introduceți un URL http(s) absolut, de ex. https://localhost:5001/mpass-login.'], ru: ['URL обязателен.', 'Введите абсолютный URL http(s), например https://localhost:5001/mpass-login.'] },
  'Not an absolute http(s) URL.': { ro: ['Nu este un URL http(s) absolut.', 'Folosiți un URL precum https://localhost:5001/mpass-login.'], ru: ['Это не абсолютный URL http(s).', 'Используйте URL вида https://localhost:5001/mpass-login.'] },
  'Not an e-mail address.': { ro: ['Nu este o adresă de e-mail.', 'Folosiți o adresă precum dev@example.md.'], ru: ['Это не адрес эл. почты.', 'Используйте адрес вида dev@example.md.'] },
  'Not a phone number.': { ro: ['Nu este un număr de telefon.', 'Folosiți cifre, spații, cratime și opțional + la început, de ex. +373 22 123456.'], ru: ['Это не номер телефона.', 'Используйте цифры, пробелы, дефисы и необязательный + в начале, например +373 22 123456.'] },
  'Not an IPv4 or IPv6 address.': { ro: ['Nu este o adresă IPv4 sau IPv6.', 'Folosiți o adresă precum 127.0.0.1 sau ::1 (fără port, fără nume de gazdă).'], ru: ['Это не адрес IPv4 или IPv6.', 'Используйте адрес вида 127.0.0.1 или ::1 (без порта и имени хоста).'] },
  'At least one allowed IP address is required.': { ro: ['Este necesară cel puțin o adresă IP permisă.', 'Introduceți de ex. 127.0.0.1 pentru un client local.'], ru: ['Нужен хотя бы один разрешённый IP-адрес.', 'Введите, например, 127.0.0.1 для локального клиента.'] },
  'The description must be one sentence on one line.': { ro: ['Descrierea trebuie să fie o singură propoziție, pe un singur rând.', 'Descrieți serviciul într-o singură propoziție.'], ru: ['Описание должно быть одним предложением в одной строке.', 'Опишите сервис одним предложением.'] },
  'The service certificate (.cer) is required.': { ro: ['Certificatul serviciului (.cer) este obligatoriu.', 'Încărcați sau lipiți certificatul public; butonul „Emite un certificat de test” vă dă unul.'], ru: ['Сертификат сервиса (.cer) обязателен.', 'Загрузите или вставьте открытый сертификат; кнопка «Выпустить тестовый сертификат» выдаст его.'] },
  'Expected natural, legal or both.': { ro: ['Alegeți persoană fizică, juridică sau ambele.', 'Alegeți tipul de semnatar din listă.'], ru: ['Выберите физическое, юридическое лицо или оба.', 'Выберите тип подписанта из списка.'] },
  'Not a date.': { ro: ['Nu este o dată.', 'Folosiți forma AAAA-LL-ZZ, de ex. 2026-01-31.'], ru: ['Это не дата.', 'Используйте формат ГГГГ-ММ-ДД, например 2026-01-31.'] },
  'At least one of mpass or msign is required.': { ro: ['Bifați cel puțin MPass sau MSign.', 'Bifați MPass (autentificare) și/sau MSign (semnare).'], ru: ['Отметьте хотя бы MPass или MSign.', 'Отметьте MPass (аутентификация) и/или MSign (подпись).'] },
  'The technical contact is required.': { ro: ['Persoana de contact tehnic este obligatorie.', 'Completați numele și e-mailul.'], ru: ['Технический контакт обязателен.', 'Укажите имя и эл. почту.'] },
};

/** A field message of the registration form in the page's language (undefined: not a known sentence). */
export function fieldText(message: string, lang: Lang): { message: string; fix: string } | undefined {
  if (lang === 'en') return undefined;
  const t = FIELD_TEXTS[message]?.[lang];
  return t ? { message: t[0], fix: t[1] } : undefined;
}

// Rejection texts live in the one catalogue (src/catalogue.ts); this re-export keeps older imports working.
export { localizeRejection } from '../errors.js';
