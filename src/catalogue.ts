// The one message catalogue: every rejection code once, with its HTTP status, its SOAP fault code where
// MSign answers it as a fault (MSIGN.md §4.4), and its message/fix in ro, ru and en (MPASS.md §2.3,
// MSIGN.md §4.2: ro is the default language). Placeholders {found}, {expected} and {where} take the
// rejection's own data. Throw sites keep writing a precise English sentence: it is the English text of the
// rejection (it names numbers and element names the generic sentence cannot), and the ro/ru texts come
// from here. A code missing here is a defect that test/i18n/catalogue.test.ts finds by walking src/.
import type { Lang } from './lang.js';

export interface Texts {
  message: string;
  fix: string;
}

/** The MSign SOAP fault codes (MSIGN.md §4.4). */
export type SoapFault = 'AuthenticationFailed' | 'AuthorizationFailed' | 'InvalidParameter' | 'RequestNotFound' | 'ActionNotSupported';

export interface Entry {
  status: number;
  soap?: SoapFault;
  /** Rendered as a signature problem (logout state "bad-signature", inspector verdict). */
  signature?: boolean;
  en: Texts;
  ro: Texts;
  ru: Texts;
}

const e = (status: number, en: Texts, ro: Texts, ru: Texts, extra: { soap?: SoapFault; signature?: boolean } = {}): Entry => ({ status, en, ro, ru, ...extra });
const m = (message: string, fix: string): Texts => ({ message, fix });

export const CATALOGUE = {
  // ——— HTTP, bodies, uploads ———
  ERR_BAD_REQUEST: e(400,
    m('The request could not be handled.', 'Check the request against the README.'),
    m('Cererea nu a putut fi procesată.', 'Verificați cererea conform README.'),
    m('Запрос не удалось обработать.', 'Сверьте запрос с README.')),
  ERR_BODY_MALFORMED: e(400,
    m('The request body could not be parsed.', 'Send valid JSON (Content-Type: application/json) or a valid form body.'),
    m('Corpul cererii nu a putut fi citit.', 'Trimiteți JSON valid (Content-Type: application/json) sau un formular valid.'),
    m('Тело запроса не удалось разобрать.', 'Отправьте корректный JSON (Content-Type: application/json) или корректную форму.')),
  ERR_BODY_TOO_LARGE: e(413,
    m('The request body is larger than allowed here.', 'Send a smaller body; the limits are in the README (MAX_SAML_BYTES, MAX_SOAP_BYTES).'),
    m('Corpul cererii depășește limita admisă aici.', 'Trimiteți un corp mai mic; limitele sunt în README (MAX_SAML_BYTES, MAX_SOAP_BYTES).'),
    m('Тело запроса больше допустимого здесь.', 'Отправьте тело меньшего размера; лимиты описаны в README (MAX_SAML_BYTES, MAX_SOAP_BYTES).')),
  ERR_INTERNAL: e(500,
    m('The sandbox hit an unexpected error; it is logged and the sandbox keeps running.', 'Retry; if it repeats, report the log line.'),
    m('Sandbox-ul a întâmpinat o eroare neașteptată; este înregistrată în jurnal, iar sandbox-ul funcționează în continuare.', 'Reîncercați; dacă se repetă, trimiteți linia din jurnal.'),
    m('В песочнице произошла непредвиденная ошибка; она записана в журнал, песочница продолжает работать.', 'Повторите; если ошибка повторится, пришлите строку из журнала.')),
  ERR_NOT_FOUND: e(404,
    m('There is no page or route at this address.', 'Check the address, or start from the home page.'),
    m('La această adresă nu există nicio pagină.', 'Verificați adresa sau porniți de la pagina principală.'),
    m('По этому адресу нет страницы.', 'Проверьте адрес или начните с главной страницы.')),
  ERR_ADMIN_TOKEN: e(401,
    m('This sandbox protects /api writes with ADMIN_TOKEN.', 'Send Authorization: Bearer <ADMIN_TOKEN>.'),
    m('Acest sandbox protejează modificările prin /api cu ADMIN_TOKEN.', 'Trimiteți Authorization: Bearer <ADMIN_TOKEN>.'),
    m('Эта песочница защищает изменения через /api токеном ADMIN_TOKEN.', 'Отправьте Authorization: Bearer <ADMIN_TOKEN>.')),
  ERR_UPLOAD_TOO_LARGE: e(413,
    m('The uploaded file is larger than the 64 KiB a certificate needs.', 'Upload only the public certificate (.cer, DER or PEM), not a bundle or an archive.'),
    m('Fișierul încărcat depășește cei 64 KiB de care are nevoie un certificat.', 'Încărcați doar certificatul public (.cer, DER sau PEM), nu un pachet sau o arhivă.'),
    m('Загруженный файл больше 64 КиБ, нужных сертификату.', 'Загрузите только открытый сертификат (.cer, DER или PEM), а не набор или архив.')),
  ERR_UPLOAD_MALFORMED: e(400,
    m('The form upload could not be read.', 'Submit the registration form again from the browser.'),
    m('Formularul încărcat nu a putut fi citit.', 'Trimiteți din nou formularul de înregistrare din browser.'),
    m('Загруженную форму не удалось прочитать.', 'Отправьте форму регистрации ещё раз из браузера.')),
  ERR_CONTENT_TYPE: e(415,
    m('MSign is SOAP 1.1: this Content-Type is not accepted.', 'Send Content-Type text/xml; charset=utf-8 and a SOAPAction header.'),
    m('MSign folosește SOAP 1.1: acest Content-Type nu este acceptat.', 'Trimiteți Content-Type text/xml; charset=utf-8 și antetul SOAPAction.'),
    m('MSign работает по SOAP 1.1: этот Content-Type не принимается.', 'Отправьте Content-Type text/xml; charset=utf-8 и заголовок SOAPAction.')),

  // ——— Registry ———
  ERR_INVALID_FIELD: e(400,
    m('This field is not valid.', 'Correct the value and send the form again.'),
    m('Acest câmp nu este valid.', 'Corectați valoarea și trimiteți din nou formularul.'),
    m('Это поле заполнено неверно.', 'Исправьте значение и отправьте форму ещё раз.')),
  ERR_PRIVATE_KEY_SENT: e(400,
    m('A private key was sent: the sandbox takes only the public certificate.', 'Send only the public .cer; keep the private key on the service side and consider it exposed.'),
    m('A fost trimisă o cheie privată: sandbox-ul primește doar certificatul public.', 'Trimiteți doar certificatul public .cer; păstrați cheia privată la serviciu și considerați-o compromisă.'),
    m('Отправлен закрытый ключ: песочница принимает только открытый сертификат.', 'Отправьте только открытый .cer; храните закрытый ключ у сервиса и считайте его скомпрометированным.')),
  ERR_METADATA: e(400,
    m('This is not SAML 2.0 service provider metadata.', 'Paste the complete md:EntityDescriptor with an SPSSODescriptor.'),
    m('Acestea nu sunt metadate SAML 2.0 ale unui furnizor de servicii.', 'Lipiți md:EntityDescriptor complet, cu SPSSODescriptor.'),
    m('Это не метаданные поставщика услуг SAML 2.0.', 'Вставьте полный md:EntityDescriptor с SPSSODescriptor.')),
  ERR_SERVICE_NOT_FOUND: e(404,
    m('No service has this id.', 'Open the list of services and choose one.'),
    m('Niciun serviciu nu are acest identificator.', 'Deschideți lista serviciilor și alegeți unul.'),
    m('Нет сервиса с таким идентификатором.', 'Откройте список сервисов и выберите нужный.')),

  // ——— SAML bindings (SAML Bindings §3.4, §3.5) ———
  ERR_BINDING_DUPLICATE: e(400,
    m('A SAML parameter appears more than once.', 'Send each parameter once.'),
    m('Un parametru SAML apare de mai multe ori.', 'Trimiteți fiecare parametru o singură dată.'),
    m('Параметр SAML встречается несколько раз.', 'Отправляйте каждый параметр один раз.')),
  ERR_BINDING_AMBIGUOUS: e(400,
    m('Both SAMLRequest and SAMLResponse were sent.', 'Send one message at a time.'),
    m('Au fost trimise atât SAMLRequest, cât și SAMLResponse.', 'Trimiteți câte un singur mesaj.'),
    m('Отправлены одновременно SAMLRequest и SAMLResponse.', 'Отправляйте по одному сообщению.')),
  ERR_BINDING_MISSING: e(400,
    m('No SAMLRequest or SAMLResponse was found.', 'POST a form with SAMLRequest (base64 of the XML), or use ?SAMLRequest=<base64 of DEFLATE(XML)>.'),
    m('Nu s-a găsit niciun SAMLRequest sau SAMLResponse.', 'Trimiteți prin POST un formular cu SAMLRequest (base64 al XML-ului) sau folosiți ?SAMLRequest=<base64 al DEFLATE(XML)>.'),
    m('Не найден ни SAMLRequest, ни SAMLResponse.', 'Отправьте форму POST с SAMLRequest (base64 от XML) или используйте ?SAMLRequest=<base64 от DEFLATE(XML)>.')),
  ERR_BINDING_EMPTY: e(400,
    m('The SAML parameter is present but empty.', 'Put the encoded message in the parameter.'),
    m('Parametrul SAML este prezent, dar gol.', 'Puneți mesajul codificat în parametru.'),
    m('Параметр SAML есть, но пуст.', 'Поместите закодированное сообщение в параметр.')),
  ERR_BINDING_BASE64: e(400,
    m('The SAML parameter is not valid base64.', 'HTTP-POST: base64 of the UTF-8 XML; HTTP-Redirect: base64 of the raw-DEFLATE XML, URL-encoded.'),
    m('Parametrul SAML nu este base64 valid.', 'HTTP-POST: base64 al XML-ului UTF-8; HTTP-Redirect: base64 al XML-ului comprimat DEFLATE, codificat URL.'),
    m('Параметр SAML не является корректным base64.', 'HTTP-POST: base64 от XML в UTF-8; HTTP-Redirect: base64 от XML, сжатого raw DEFLATE, с URL-кодированием.')),
  ERR_BINDING_DEFLATE: e(400,
    m('The Redirect message does not inflate (raw DEFLATE expected).', 'Compress with raw DEFLATE (no zlib header), then base64, then URL-encode.'),
    m('Mesajul Redirect nu se decomprimă (se așteaptă DEFLATE brut).', 'Comprimați cu DEFLATE brut (fără antet zlib), apoi base64, apoi codificare URL.'),
    m('Сообщение Redirect не распаковывается (ожидается raw DEFLATE).', 'Сожмите raw DEFLATE (без заголовка zlib), затем base64, затем URL-кодирование.')),
  ERR_MESSAGE_TOO_LARGE: e(413,
    m('The decoded message is larger than allowed.', 'Send a normal-size SAML message, or raise MAX_SAML_BYTES.'),
    m('Mesajul decodificat depășește limita admisă.', 'Trimiteți un mesaj SAML de dimensiune obișnuită sau măriți MAX_SAML_BYTES.'),
    m('Раскодированное сообщение больше допустимого.', 'Отправьте SAML-сообщение обычного размера или увеличьте MAX_SAML_BYTES.')),
  ERR_XML_ENCODING: e(400,
    m('The message is not valid UTF-8.', 'Encode the XML as UTF-8 before base64.'),
    m('Mesajul nu este UTF-8 valid.', 'Codificați XML-ul în UTF-8 înainte de base64.'),
    m('Сообщение не является корректным UTF-8.', 'Кодируйте XML в UTF-8 перед base64.')),

  // ——— XML ———
  ERR_XML_MALFORMED: e(400,
    m('The message is not well-formed XML.', 'Check the encoding (UTF-8), the base64/DEFLATE layer and that the XML is complete.'),
    m('Mesajul nu este un XML bine format.', 'Verificați codificarea (UTF-8), stratul base64/DEFLATE și că XML-ul este complet.'),
    m('Сообщение не является корректным XML.', 'Проверьте кодировку (UTF-8), слой base64/DEFLATE и полноту XML.')),
  ERR_XML_DOCTYPE: e(400,
    m('The XML carries a DOCTYPE or entity declaration, which the sandbox never processes.', 'Remove DOCTYPE/ENTITY declarations; SAML and SOAP messages never need them.'),
    m('XML-ul conține un DOCTYPE sau o declarație de entitate, pe care sandbox-ul nu le procesează niciodată.', 'Eliminați declarațiile DOCTYPE/ENTITY; mesajele SAML și SOAP nu au nevoie de ele.'),
    m('XML содержит DOCTYPE или объявление сущности, которые песочница никогда не обрабатывает.', 'Удалите объявления DOCTYPE/ENTITY; сообщениям SAML и SOAP они не нужны.')),
  ERR_XML_TOO_DEEP: e(400,
    m('The XML nests elements too deeply.', 'Send a normal SAML or SOAP message.'),
    m('XML-ul are elemente imbricate prea adânc.', 'Trimiteți un mesaj SAML sau SOAP obișnuit.'),
    m('В XML слишком глубокая вложенность элементов.', 'Отправьте обычное сообщение SAML или SOAP.')),
  ERR_XML_COMMENT: e(400,
    m('An XML comment inside this element could truncate its value for some parsers.', 'Remove comments from inside SAML values.'),
    m('Un comentariu XML în interiorul acestui element îi poate trunchia valoarea pentru unele parsere.', 'Eliminați comentariile din interiorul valorilor SAML.'),
    m('XML-комментарий внутри этого элемента может обрезать его значение в некоторых парсерах.', 'Удалите комментарии из значений SAML.')),

  // ——— SAML messages (SAML Core §3.2.1, §3.4.1, §3.7) ———
  ERR_WRONG_ENDPOINT: e(400,
    m('This endpoint does not take this kind of message.', 'Send AuthnRequests to /login/saml and logout messages to /logout/saml.'),
    m('Acest punct de acces nu primește acest tip de mesaj.', 'Trimiteți AuthnRequest la /login/saml și mesajele de deconectare la /logout/saml.'),
    m('Эта точка доступа не принимает такой тип сообщения.', 'Отправляйте AuthnRequest на /login/saml, а сообщения выхода — на /logout/saml.')),
  ERR_WRONG_MESSAGE: e(400,
    m('This is not the SAML message expected here.', 'Send the message this endpoint takes (see {where}).'),
    m('Acesta nu este mesajul SAML așteptat aici.', 'Trimiteți mesajul pe care îl primește acest punct de acces (vezi {where}).'),
    m('Это не то SAML-сообщение, которое ожидается здесь.', 'Отправьте сообщение, которое принимает эта точка доступа (см. {where}).')),
  ERR_VERSION: e(400,
    m('The SAML version must be 2.0.', 'Set Version="2.0".'),
    m('Versiunea SAML trebuie să fie 2.0.', 'Setați Version="2.0".'),
    m('Версия SAML должна быть 2.0.', 'Укажите Version="2.0".')),
  ERR_ID: e(400,
    m('ID is missing or not an xs:ID.', 'Generate IDs as "_" followed by a GUID.'),
    m('ID lipsește sau nu este un xs:ID.', 'Generați ID-uri de forma "_" urmat de un GUID.'),
    m('ID отсутствует или не является xs:ID.', 'Генерируйте ID как "_" и GUID.')),
  ERR_ISSUE_INSTANT: e(400,
    m('IssueInstant is missing or not an xs:dateTime.', 'Write IssueInstant in UTC, e.g. 2026-01-31T10:00:00.000Z.'),
    m('IssueInstant lipsește sau nu este un xs:dateTime.', 'Scrieți IssueInstant în UTC, de ex. 2026-01-31T10:00:00.000Z.'),
    m('IssueInstant отсутствует или не является xs:dateTime.', 'Укажите IssueInstant в UTC, например 2026-01-31T10:00:00.000Z.')),
  ERR_ISSUE_INSTANT_EXPIRED: e(400,
    m('IssueInstant is too old.', 'Build a new message for every attempt and check the service clock (NTP).'),
    m('IssueInstant este prea vechi.', 'Construiți un mesaj nou la fiecare încercare și verificați ceasul serviciului (NTP).'),
    m('IssueInstant слишком старый.', 'Создавайте новое сообщение для каждой попытки и проверьте часы сервиса (NTP).')),
  ERR_ISSUE_INSTANT_FUTURE: e(400,
    m('IssueInstant is in the future.', 'Write the time in UTC (not local time) and check the service clock (NTP).'),
    m('IssueInstant este în viitor.', 'Scrieți ora în UTC (nu ora locală) și verificați ceasul serviciului (NTP).'),
    m('IssueInstant в будущем.', 'Пишите время в UTC (не местное) и проверьте часы сервиса (NTP).')),
  ERR_DESTINATION: e(400,
    m('Destination does not name this sandbox endpoint.', 'Set Destination to {expected} (PUBLIC_URL decides the host).'),
    m('Destination nu indică acest punct de acces al sandbox-ului.', 'Setați Destination la {expected} (PUBLIC_URL decide gazda).'),
    m('Destination не указывает на эту точку доступа песочницы.', 'Укажите Destination = {expected} (хост задаёт PUBLIC_URL).')),
  ERR_PROTOCOL_BINDING: e(400,
    m('MPass answers only over HTTP-POST or HTTP-Redirect.', 'Leave ProtocolBinding out or set it to the HTTP-POST binding.'),
    m('MPass răspunde doar prin HTTP-POST sau HTTP-Redirect.', 'Omiteți ProtocolBinding sau setați-l la legătura HTTP-POST.'),
    m('MPass отвечает только через HTTP-POST или HTTP-Redirect.', 'Не указывайте ProtocolBinding или укажите привязку HTTP-POST.')),
  ERR_ACS_UNTRUSTED: e(400,
    m('The ACS URL is not an absolute http(s) URL, so no Response can be sent to it.', 'Send an absolute http(s) ACS URL, or leave it out to use the registered one.'),
    m('URL-ul ACS nu este un URL http(s) absolut, deci nu i se poate trimite niciun răspuns.', 'Trimiteți un URL ACS http(s) absolut sau omiteți-l pentru a folosi cel înregistrat.'),
    m('URL ACS не является абсолютным URL http(s), ответ на него отправить нельзя.', 'Укажите абсолютный URL ACS http(s) или не указывайте его, чтобы использовать зарегистрированный.')),
  ERR_ISSUER_MISSING: e(400,
    m('The AuthnRequest has no Issuer.', 'Put the service entity ID (its registered issuer) in saml:Issuer.'),
    m('AuthnRequest nu are Issuer.', 'Puneți identificatorul entității serviciului (Issuer-ul înregistrat) în saml:Issuer.'),
    m('В AuthnRequest нет Issuer.', 'Укажите в saml:Issuer идентификатор сущности сервиса (зарегистрированный Issuer).')),
  ERR_UNKNOWN_ISSUER: e(403,
    m('No registered service has this issuer.', 'Register the service with this Issuer, or correct the Issuer the service sends.'),
    m('Niciun serviciu înregistrat nu are acest emitent (Issuer).', 'Înregistrați serviciul cu acest Issuer sau corectați Issuer-ul trimis de serviciu.'),
    m('Ни один зарегистрированный сервис не имеет такого издателя (Issuer).', 'Зарегистрируйте сервис с этим Issuer или исправьте Issuer, который отправляет сервис.')),
  ERR_ISSUER: e(400,
    m('The message comes from another issuer than expected.', 'Put the service\'s registered issuer in saml:Issuer.'),
    m('Mesajul provine de la alt emitent decât cel așteptat.', 'Puneți Issuer-ul înregistrat al serviciului în saml:Issuer.'),
    m('Сообщение пришло от другого издателя, чем ожидалось.', 'Укажите в saml:Issuer зарегистрированный Issuer сервиса.')),

  // ——— Login page ———
  ERR_LOGIN_EXPIRED: e(410,
    m('This login request has expired or was already answered (the sandbox may have restarted).', 'Go back to the service and start the login again.'),
    m('Această cerere de autentificare a expirat sau a primit deja răspuns (sandbox-ul poate fi fost repornit).', 'Reveniți la serviciu și porniți din nou autentificarea.'),
    m('Этот запрос на вход истёк или уже получил ответ (песочница могла быть перезапущена).', 'Вернитесь в сервис и начните вход заново.')),
  ERR_SERVICE_GONE: e(410,
    m('The service of this login was removed from the registry.', 'Register the service again and start a new login.'),
    m('Serviciul acestei autentificări a fost șters din registru.', 'Înregistrați din nou serviciul și porniți o autentificare nouă.'),
    m('Сервис этого входа удалён из реестра.', 'Зарегистрируйте сервис заново и начните новый вход.')),
  ERR_PERSONA: e(400,
    m('Choose a test identity or type a custom one (13-digit IDNP, first and last name).', 'Click a test identity, or type 13 digits, e.g. 2009000000011.'),
    m('Alegeți o identitate de test sau introduceți una proprie (IDNP din 13 cifre, prenume și nume).', 'Apăsați pe o identitate de test sau introduceți 13 cifre, de ex. 2009000000011.'),
    m('Выберите тестовую личность или введите свою (IDNP из 13 цифр, имя и фамилия).', 'Нажмите на тестовую личность или введите 13 цифр, например 2009000000011.')),

  // ——— Logout (SAML Core §3.7, Profiles §4.4) ———
  ERR_LOGOUT_EXPIRED: e(410,
    m('This logout run is unknown or over (the sandbox may have restarted).', 'Start the logout again from the service or from the sandbox home page.'),
    m('Această deconectare este necunoscută sau s-a încheiat.', 'Porniți din nou deconectarea din serviciu sau de pe pagina principală a sandbox-ului.'),
    m('Этот выход неизвестен или уже завершён.', 'Начните выход заново из сервиса или с главной страницы песочницы.')),
  ERR_LOGOUT_TARGET: e(404,
    m('No such service in this logout.', 'Reload the logout page.'),
    m('Acest serviciu nu face parte din această deconectare.', 'Reîncărcați pagina de deconectare.'),
    m('Такого сервиса нет в этом выходе.', 'Перезагрузите страницу выхода.')),
  ERR_NAMEID_MISSING: e(400,
    m('NameID is missing.', 'Send the NameID the service received in the Assertion.'),
    m('NameID lipsește.', 'Trimiteți NameID-ul primit de serviciu în Assertion.'),
    m('NameID отсутствует.', 'Отправьте NameID, полученный сервисом в Assertion.')),
  ERR_NAMEID_MISMATCH: e(400,
    m('NameID differs from the one this service received in that session.', 'Send the NameID of the Assertion: {expected}.'),
    m('NameID diferă de cel primit de serviciu în acea sesiune.', 'Trimiteți NameID-ul din Assertion: {expected}.'),
    m('NameID отличается от полученного сервисом в этом сеансе.', 'Отправьте NameID из Assertion: {expected}.')),
  ERR_SESSION_INDEX_MISSING: e(400,
    m('SessionIndex is missing.', 'Send the SessionIndex the service received in the AuthnStatement.'),
    m('SessionIndex lipsește.', 'Trimiteți SessionIndex-ul primit de serviciu în AuthnStatement.'),
    m('SessionIndex отсутствует.', 'Отправьте SessionIndex, полученный сервисом в AuthnStatement.')),
  ERR_UNKNOWN_SESSION: e(400,
    m('No live MPass session has this SessionIndex (already logged out, expired, or the sandbox restarted).', 'Log in again, then log out with the new SessionIndex.'),
    m('Nicio sesiune MPass activă nu are acest SessionIndex (deja deconectată, expirată sau sandbox-ul a fost repornit).', 'Autentificați-vă din nou, apoi deconectați-vă cu noul SessionIndex.'),
    m('Нет активного сеанса MPass с этим SessionIndex (выход уже выполнен, сеанс истёк или песочница перезапущена).', 'Войдите снова, затем выйдите с новым SessionIndex.')),
  ERR_NOT_IN_SESSION: e(400,
    m('This service never received a Response in that MPass session.', 'Log out with the SessionIndex of this service\'s own login.'),
    m('Acest serviciu nu a primit niciun răspuns în acea sesiune MPass.', 'Deconectați-vă cu SessionIndex-ul autentificării acestui serviciu.'),
    m('Этот сервис не получал ответа в этом сеансе MPass.', 'Выполните выход с SessionIndex входа именно этого сервиса.')),
  ERR_UNKNOWN_IN_RESPONSE_TO: e(400,
    m('This LogoutResponse answers no LogoutRequest the sandbox is waiting for.', 'Set InResponseTo to the ID of the sandbox LogoutRequest, and answer it only once.'),
    m('Acest LogoutResponse nu răspunde niciunui LogoutRequest așteptat de sandbox.', 'Setați InResponseTo la ID-ul LogoutRequest-ului sandbox-ului și răspundeți o singură dată.'),
    m('Этот LogoutResponse не отвечает ни на один ожидаемый песочницей LogoutRequest.', 'Укажите в InResponseTo ID запроса LogoutRequest песочницы и отвечайте один раз.')),
  ERR_SESSION_NOT_FOUND: e(404,
    m('No live session has this id or SessionIndex.', 'List the live sessions with GET /api/sessions.'),
    m('Nicio sesiune activă nu are acest identificator sau SessionIndex.', 'Listați sesiunile active cu GET /api/sessions.'),
    m('Нет активного сеанса с таким идентификатором или SessionIndex.', 'Получите список активных сеансов: GET /api/sessions.')),

  // ——— XML signatures (XMLDSig; SAML Core §5; Bindings §3.4.4.1) ———
  ERR_SIGNATURE_MISSING: e(403,
    m('The message is not signed.', 'Sign the message with the private key of the certificate registered for this service.'),
    m('Mesajul nu este semnat.', 'Semnați mesajul cu cheia privată a certificatului înregistrat pentru acest serviciu.'),
    m('Сообщение не подписано.', 'Подпишите сообщение закрытым ключом сертификата, зарегистрированного для сервиса.'), { signature: true }),
  ERR_SIGNATURE_INVALID: e(403,
    m('The signature does not verify with the registered certificate.', 'Sign with the key of the registered .cer and do not change the message after signing.'),
    m('Semnătura nu se verifică cu certificatul înregistrat.', 'Semnați cu cheia care corespunde certificatului .cer înregistrat și nu modificați mesajul după semnare.'),
    m('Подпись не проверяется зарегистрированным сертификатом.', 'Подписывайте ключом, соответствующим зарегистрированному .cer, и не меняйте сообщение после подписи.'), { signature: true }),
  ERR_SIGNATURE_MALFORMED: e(403,
    m('The signature element is incomplete.', 'Let your SAML library build the ds:Signature (SignedInfo, SignatureValue).'),
    m('Elementul semnăturii este incomplet.', 'Lăsați biblioteca SAML să construiască ds:Signature (SignedInfo, SignatureValue).'),
    m('Элемент подписи неполный.', 'Пусть SAML-библиотека строит ds:Signature (SignedInfo, SignatureValue).'), { signature: true }),
  ERR_SIGNATURE_ALGORITHM: e(403,
    m('The signature uses an algorithm the sandbox does not accept.', 'Use RSA-SHA256 with exclusive canonicalization.'),
    m('Semnătura folosește un algoritm pe care sandbox-ul nu îl acceptă.', 'Folosiți RSA-SHA256 cu canonicalizare exclusivă.'),
    m('Подпись использует алгоритм, который песочница не принимает.', 'Используйте RSA-SHA256 с исключающей канонизацией.'), { signature: true }),
  ERR_SIGNATURE_SHA1: e(403,
    m('SHA-1 is switched off on this sandbox (ALLOW_SHA1=false).', 'Sign with RSA-SHA256.'),
    m('SHA-1 este dezactivat în acest sandbox (ALLOW_SHA1=false).', 'Semnați cu RSA-SHA256.'),
    m('SHA-1 отключён в этой песочнице (ALLOW_SHA1=false).', 'Подписывайте RSA-SHA256.'), { signature: true }),
  ERR_SIGNATURE_AMBIGUOUS: e(403,
    m('The message carries more than one signature.', 'Sign the message once.'),
    m('Mesajul are mai multe semnături.', 'Semnați mesajul o singură dată.'),
    m('Сообщение содержит несколько подписей.', 'Подпишите сообщение один раз.'), { signature: true }),
  ERR_SIGNATURE_REFERENCE: e(403,
    m('The signature must have one Reference to the signed element\'s ID.', 'Sign the whole message: Reference URI="#<ID of the root element>".'),
    m('Semnătura trebuie să aibă o singură Reference către ID-ul elementului semnat.', 'Semnați întregul mesaj: Reference URI="#<ID-ul elementului rădăcină>".'),
    m('Подпись должна иметь одну Reference на ID подписанного элемента.', 'Подписывайте всё сообщение: Reference URI="#<ID корневого элемента>".'), { signature: true }),
  ERR_SIGNATURE_TRANSFORM: e(403,
    m('A transform is not accepted (only enveloped-signature and c14n).', 'Use only the enveloped-signature and exclusive c14n transforms.'),
    m('O transformare nu este acceptată (doar enveloped-signature și c14n).', 'Folosiți doar transformările enveloped-signature și c14n exclusivă.'),
    m('Преобразование не принимается (только enveloped-signature и c14n).', 'Используйте только преобразования enveloped-signature и исключающую c14n.'), { signature: true }),
  ERR_SIGNATURE_WRAPPING: e(403,
    m('An ID appears more than once in the document (signature wrapping).', 'Send one element per ID; never copy signed elements.'),
    m('Un ID apare de mai multe ori în document (signature wrapping).', 'Trimiteți un singur element pentru fiecare ID; nu copiați elementele semnate.'),
    m('ID встречается в документе несколько раз (signature wrapping).', 'Один элемент на каждый ID; не копируйте подписанные элементы.'), { signature: true }),

  // ——— Shared sandbox: access, limits, storage (issue 9) ———
  ERR_HOST_NOT_ALLOWED: e(421,
    m('This sandbox does not answer to this host name (DNS-rebinding guard).', 'Use the PUBLIC_URL host, or add this name to ALLOWED_HOSTS.'),
    m('Acest sandbox nu răspunde la acest nume de gazdă (protecție împotriva DNS rebinding).', 'Folosiți gazda din PUBLIC_URL sau adăugați acest nume în ALLOWED_HOSTS.'),
    m('Эта песочница не отвечает на это имя хоста (защита от DNS rebinding).', 'Используйте хост из PUBLIC_URL или добавьте это имя в ALLOWED_HOSTS.')),
  ERR_CROSS_SITE_REQUEST: e(403,
    m('A page of another site tried to change this sandbox (cross-site request refused).', 'Make the change from the sandbox\'s own pages, or from a script or test suite (no Origin header).'),
    m('O pagină a altui site a încercat să modifice acest sandbox (cerere între site-uri refuzată).', 'Faceți modificarea din paginile sandbox-ului sau dintr-un script ori o suită de teste (fără antetul Origin).'),
    m('Страница другого сайта попыталась изменить эту песочницу (межсайтовый запрос отклонён).', 'Вносите изменение со страниц самой песочницы или из скрипта либо набора тестов (без заголовка Origin).')),
  ERR_UNSUPPORTED_MEDIA_TYPE: e(415,
    m('The API takes JSON bodies only.', 'Send Content-Type: application/json with a JSON body.'),
    m('API-ul primește doar corpuri JSON.', 'Trimiteți Content-Type: application/json cu un corp JSON.'),
    m('API принимает только тела в формате JSON.', 'Отправьте Content-Type: application/json и тело в JSON.')),
  ERR_SIGN_PAGE_TOKEN: e(403,
    m('This sign or cancel did not come from the signing page the sandbox showed for this request.', 'Press Sign or Cancel on the signing page itself; a test suite without a browser uses POST /api/msign/script.'),
    m('Această semnare sau anulare nu provine de la pagina de semnare afișată de sandbox pentru această cerere.', 'Apăsați Semnează sau Anulează chiar pe pagina de semnare; o suită de teste fără browser folosește POST /api/msign/script.'),
    m('Это подписание или отмена пришли не со страницы подписи, показанной песочницей для этого запроса.', 'Нажмите «Подписать» или «Отменить» на самой странице подписи; набор тестов без браузера использует POST /api/msign/script.')),
  ERR_STORE_UNWRITABLE: e(507,
    m('The registry could not be written to DATA_DIR; nothing was changed.', 'Free space or fix the permissions of DATA_DIR, then send the request again.'),
    m('Registrul nu a putut fi scris în DATA_DIR; nu s-a modificat nimic.', 'Eliberați spațiu sau corectați permisiunile pentru DATA_DIR, apoi trimiteți din nou cererea.'),
    m('Реестр не удалось записать в DATA_DIR; ничего не изменено.', 'Освободите место или исправьте права на DATA_DIR и повторите запрос.')),
  ERR_SERVICE_ID_TAKEN: e(409,
    m('A registration with this id already exists; a create never replaces one.', 'Create without an id (the sandbox draws one), or update the existing registration.'),
    m('Există deja o înregistrare cu acest id; o creare nu înlocuiește niciodată una existentă.', 'Creați fără id (sandbox-ul alege unul) sau actualizați înregistrarea existentă.'),
    m('Регистрация с этим id уже существует; создание никогда не заменяет существующую.', 'Создайте без id (песочница выберет его сама) или обновите существующую регистрацию.')),
  ERR_METADATA_TOO_LARGE: e(413,
    m('The metadata is larger than this sandbox reads (MAX_METADATA_BYTES).', 'Send the service\'s own EntityDescriptor only, or raise MAX_METADATA_BYTES.'),
    m('Metadatele depășesc dimensiunea pe care o citește acest sandbox (MAX_METADATA_BYTES).', 'Trimiteți doar EntityDescriptor-ul serviciului sau măriți MAX_METADATA_BYTES.'),
    m('Метаданные больше, чем читает эта песочница (MAX_METADATA_BYTES).', 'Отправьте только EntityDescriptor сервиса или увеличьте MAX_METADATA_BYTES.')),
  ERR_CERTIFICATE_VALIDITY: e(400,
    m('The certificate is not valid now (expired or not yet valid).', 'Register a certificate that is valid now: issue a new one or renew the STISC certificate.'),
    m('Certificatul nu este valabil acum (expirat sau încă nevalabil).', 'Înregistrați un certificat valabil acum: emiteți unul nou sau reînnoiți certificatul STISC.'),
    m('Сертификат сейчас недействителен (истёк или ещё не начал действовать).', 'Зарегистрируйте действующий сертификат: выпустите новый или обновите сертификат STISC.')),

  // ——— XML limits and well-formedness (XML 1.0 §2.2, Namespaces in XML §5) ———
  ERR_XML_TOO_MANY_ELEMENTS: e(400,
    m('The message holds more elements than this sandbox reads (MAX_XML_ELEMENTS).', 'Send a normal-size message, or raise MAX_XML_ELEMENTS.'),
    m('Mesajul conține mai multe elemente decât citește acest sandbox (MAX_XML_ELEMENTS).', 'Trimiteți un mesaj de dimensiune obișnuită sau măriți MAX_XML_ELEMENTS.'),
    m('В сообщении больше элементов, чем читает эта песочница (MAX_XML_ELEMENTS).', 'Отправьте сообщение обычного размера или увеличьте MAX_XML_ELEMENTS.')),
  ERR_XML_CHAR: e(400,
    m('The text holds a character XML 1.0 does not allow, so it cannot be part of a well-formed message.', 'Remove control characters (U+0000–U+001F other than tab, LF, CR, and U+FFFE/U+FFFF).'),
    m('Textul conține un caracter pe care XML 1.0 nu îl permite, deci nu poate face parte dintr-un mesaj bine format.', 'Eliminați caracterele de control (U+0000–U+001F, în afară de tab, LF, CR, și U+FFFE/U+FFFF).'),
    m('В тексте есть символ, запрещённый в XML 1.0, поэтому он не может входить в корректное сообщение.', 'Удалите управляющие символы (U+0000–U+001F, кроме табуляции, LF, CR, а также U+FFFE/U+FFFF).')),
  ERR_XML_NAMESPACE: e(400,
    m('The message uses a namespace prefix that is not declared.', 'Declare every prefix (xmlns:prefix="…") before using it; an XML library does this for you.'),
    m('Mesajul folosește un prefix de spațiu de nume nedeclarat.', 'Declarați fiecare prefix (xmlns:prefix="…") înainte de folosire; o bibliotecă XML face asta pentru dvs.'),
    m('В сообщении используется необъявленный префикс пространства имён.', 'Объявите каждый префикс (xmlns:prefix="…") до использования; XML-библиотека делает это сама.')),

  // ——— Replays, logout delivery, outbound requests ———
  ERR_REPLAYED_ID: e(400,
    m('A request with this ID was already accepted from this service at {at} (replay).', 'Send a fresh ID with every request; never resend a signed request.'),
    m('O cerere cu acest ID a fost deja acceptată de la acest serviciu la {at} (reluare).', 'Trimiteți un ID nou la fiecare cerere; nu retrimiteți niciodată o cerere semnată.'),
    m('Запрос с этим ID уже был принят от этого сервиса в {at} (повтор).', 'Отправляйте новый ID в каждом запросе; никогда не отправляйте подписанный запрос повторно.')),
  ERR_LOGOUT_TIMEOUT: e(504,
    m('The service did not answer the LogoutRequest in time.', 'Check that the LogoutRequest page may be framed by MPass (X-Frame-Options, CSP frame-ancestors), that its cookies reach an iframe (SameSite=None; Secure), and that it answers with a signed LogoutResponse rather than an error page.'),
    m('Serviciul nu a răspuns la timp la LogoutRequest.', 'Verificați că pagina LogoutRequest poate fi încadrată de MPass (X-Frame-Options, CSP frame-ancestors), că cookie-urile ei ajung într-un iframe (SameSite=None; Secure) și că răspunde cu un LogoutResponse semnat, nu cu o pagină de eroare.'),
    m('Сервис не ответил на LogoutRequest вовремя.', 'Проверьте, что страницу LogoutRequest можно встроить во фрейм MPass (X-Frame-Options, CSP frame-ancestors), что её cookie доходят в iframe (SameSite=None; Secure) и что она отвечает подписанным LogoutResponse, а не страницей ошибки.')),
  ERR_LOGOUT_UNREACHABLE: e(502,
    m('The LogoutRequest could not be delivered to the service.', 'Check that the registered LogoutRequest URL is reachable from the sandbox.'),
    m('LogoutRequest nu a putut fi livrat serviciului.', 'Verificați că URL-ul LogoutRequest înregistrat este accesibil din sandbox.'),
    m('LogoutRequest не удалось доставить сервису.', 'Проверьте, что зарегистрированный URL LogoutRequest доступен из песочницы.')),
  ERR_OUTBOUND_REFUSED: e(403,
    m('The sandbox does not send requests to this address (link-local or cloud-metadata).', 'Register a LogoutRequest URL on a normal host, or widen OUTBOUND_ALLOW.'),
    m('Sandbox-ul nu trimite cereri la această adresă (link-local sau metadate cloud).', 'Înregistrați un URL LogoutRequest pe o gazdă obișnuită sau extindeți OUTBOUND_ALLOW.'),
    m('Песочница не отправляет запросы на этот адрес (link-local или метаданные облака).', 'Зарегистрируйте URL LogoutRequest на обычном хосте или расширьте OUTBOUND_ALLOW.')),
  ERR_SIGN_REQUEST_STATE: e(409,
    m('This sign request is already finished; its outcome stands.', 'Start a new sign request (PostSignRequest).'),
    m('Această cerere de semnare este deja finalizată; rezultatul ei rămâne.', 'Începeți o nouă cerere de semnare (PostSignRequest).'),
    m('Этот запрос на подпись уже завершён; его результат остаётся в силе.', 'Создайте новый запрос на подпись (PostSignRequest).')),

  // ——— Conformance runs (issue 10) and the typed client ———
  ERR_RUN_NOT_FOUND: e(404,
    m('No conformance run with this id.', 'Start a run (POST /api/conformance); runs are kept in memory up to CONFORMANCE_MAX_RUNS.'),
    m('Nu există nicio rulare de conformitate cu acest id.', 'Porniți o rulare (POST /api/conformance); rulările sunt păstrate în memorie până la CONFORMANCE_MAX_RUNS.'),
    m('Прогона проверки соответствия с этим id нет.', 'Запустите прогон (POST /api/conformance); прогоны хранятся в памяти до CONFORMANCE_MAX_RUNS.')),
  ERR_TOO_MANY_RUNS: e(429,
    m('Too many conformance runs are going on at once.', 'Wait for a run to finish, then start again.'),
    m('Prea multe rulări de conformitate sunt în curs simultan.', 'Așteptați să se termine o rulare, apoi porniți din nou.'),
    m('Одновременно идёт слишком много прогонов проверки соответствия.', 'Дождитесь окончания прогона и запустите снова.')),
  ERR_CLIENT_TIMEOUT: e(504,
    m('The run was still going when the client stopped waiting.', 'Give the wait more time, or read GET /api/conformance/:id later.'),
    m('Rularea era încă în curs când clientul a încetat să aștepte.', 'Acordați mai mult timp așteptării sau citiți mai târziu GET /api/conformance/:id.'),
    m('Прогон ещё шёл, когда клиент перестал ждать.', 'Дайте ожиданию больше времени или прочитайте GET /api/conformance/:id позже.')),

  // ——— MSign SOAP faults (MSIGN.md §4.4): the code is the fault code itself ———
  AuthenticationFailed: e(500,
    m('The caller could not be authenticated (client certificate).', 'Call MSign over mutual TLS with the certificate registered for the service.'),
    m('Apelantul nu a putut fi autentificat (certificat client).', 'Apelați MSign prin TLS mutual cu certificatul înregistrat pentru serviciu.'),
    m('Вызывающую сторону не удалось аутентифицировать (клиентский сертификат).', 'Вызывайте MSign по взаимному TLS с сертификатом, зарегистрированным для сервиса.'), { soap: 'AuthenticationFailed' }),
  AuthorizationFailed: e(500,
    m('The caller is not allowed to do this.', 'Call from an allowed IP address, for a request of your own service.'),
    m('Apelantul nu are dreptul să facă această operație.', 'Apelați de la o adresă IP permisă, pentru o cerere a propriului serviciu.'),
    m('Вызывающей стороне это действие не разрешено.', 'Вызывайте с разрешённого IP-адреса и только для запросов своего сервиса.'), { soap: 'AuthorizationFailed' }),
  InvalidParameter: e(500,
    m('A parameter of the SOAP request is not valid.', 'Correct {where} as the fault string says.'),
    m('Un parametru al cererii SOAP nu este valid.', 'Corectați {where} conform mesajului erorii.'),
    m('Параметр SOAP-запроса неверен.', 'Исправьте {where}, как указано в тексте ошибки.'), { soap: 'InvalidParameter' }),
  RequestNotFound: e(500,
    m('No signing request has this ID.', 'Use the request ID returned by PostSignRequest.'),
    m('Nicio cerere de semnare nu are acest ID.', 'Folosiți ID-ul cererii întors de PostSignRequest.'),
    m('Нет запроса на подпись с таким ID.', 'Используйте ID запроса, возвращённый PostSignRequest.'), { soap: 'RequestNotFound' }),
  ActionNotSupported: e(500,
    m('The SOAPAction names no MSign operation.', 'Use the SOAPAction of the operation from the WSDL.'),
    m('SOAPAction nu indică nicio operație MSign.', 'Folosiți SOAPAction-ul operației din WSDL.'),
    m('SOAPAction не соответствует ни одной операции MSign.', 'Используйте SOAPAction операции из WSDL.'), { soap: 'ActionNotSupported' }),
} satisfies Record<string, Entry>;

/** Every code the sandbox may answer with; the compiler checks throw sites that use it. */
export type Code = keyof typeof CATALOGUE;

export const isCode = (c: string): c is Code => Object.prototype.hasOwnProperty.call(CATALOGUE, c);

export function entryOf(code: string): Entry | undefined {
  return isCode(code) ? CATALOGUE[code] : undefined;
}

/** The HTTP status of a code; unknown codes (a helper's new code not yet catalogued) are client errors. */
export function statusOf(code: string): number {
  return entryOf(code)?.status ?? 400;
}

/** A signature problem (logout state "bad-signature", inspector verdict), as the catalogue marks it. */
export const isSignatureProblem = (code: string): boolean => entryOf(code)?.signature === true;

export interface Params {
  found?: string;
  expected?: string;
  where?: string;
  /** An instant the rejection names (ISO 8601), e.g. when a replayed ID was first accepted. */
  at?: string;
}

const fill = (text: string, p: Params) => text.replace(/\{(found|expected|where|at)\}/g, (_, k: keyof Params) => p[k] ?? '—');

/** The catalogue's sentence for a code in a language, with its parameters filled in. */
export function textsOf(code: string, lang: Lang, params: Params = {}): Texts | undefined {
  const t = entryOf(code)?.[lang];
  return t ? { message: fill(t.message, params), fix: fill(t.fix, params) } : undefined;
}
