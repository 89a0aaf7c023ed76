// Page texts in the three MPass/MSign languages. Keys are English phrases' ids; a missing key falls back to English.
import type { Lang } from '../lang.js';

const T = {
  en: {
    'app.title': 'MPass / MSign Sandbox',
    'nav.home': 'Home', 'nav.services': 'Services', 'nav.register': 'Register a service', 'nav.events': 'Event log', 'nav.meta': 'Metadata', 'nav.api': 'API',
    'login.title': 'Log in with MPass',
    'login.intro': 'The service below asks you to authenticate. Choose a test identity.',
    'login.service': 'Service', 'login.choose': 'Test identities', 'login.custom': 'Custom identity',
    'login.idnp': 'IDNP (13 digits)', 'login.firstName': 'First name', 'login.lastName': 'Last name', 'login.birthDate': 'Birth date',
    'login.continue': 'Log in as this identity', 'login.cancel': 'Cancel', 'login.faults': 'Break the Response on purpose (SAML advanced options)',
    'login.nonResident': 'non-resident', 'login.username': 'username',
    'login.acs': 'The answer will be posted to', 'login.acsDiffers': 'taken from the signed AuthnRequest; the registered default ACS is', 'error.back': 'Back to the service',
    'autopost.working': 'Working...', 'autopost.continue': 'Continue', 'autopost.noscript': 'JavaScript is off: press Continue to go on.',
    'error.title': 'The request was rejected', 'error.checked': 'What was checked', 'error.where': 'Where', 'error.found': 'Found', 'error.expected': 'Expected', 'error.fix': 'How to fix it', 'error.code': 'Code',
    'home.session': 'Your MPass session', 'home.none': 'You are not authenticated in MPass.', 'home.as': 'Logged in as', 'home.services': 'Services in this session', 'home.logout': 'Log out of every service',
    'home.until': 'Session valid until',
    'logout.title': 'Single logout', 'logout.done': 'You are no longer authenticated in MPass.', 'logout.progress': 'Logging out of every service of the session…',
    'logout.sent': 'sent', 'logout.answered': 'answered', 'logout.timeout': 'timed out', 'logout.refused': 'refused framing', 'logout.badsig': 'bad signature', 'logout.error': 'error', 'logout.pending': 'waiting',
    'sign.title': 'Sign with MSign', 'sign.document': 'Documents to sign', 'sign.instrument': 'Signing instrument', 'sign.signer': 'Signer', 'sign.sign': 'Sign', 'sign.cancel': 'Cancel', 'sign.ok': 'OK',
    'sign.failed': 'Signing failed', 'sign.msisdn': 'Mobile number (MSISDN)', 'sign.idnp': 'IDNP', 'sign.unknown': 'This signing request does not exist, has finished or has expired.',
    'sign.done': 'Signed', 'sign.organisation': 'for the organisation',
    'sign.service': 'Requested by', 'sign.reason': 'Reason', 'sign.expected': 'Expected signer', 'sign.asPerson': 'as a natural person', 'sign.legalOnly': 'This service accepts only signatures on behalf of an organisation.', 'sign.naturalOnly': 'This service accepts only signatures of natural persons.',
    'sign.mobileHint': 'Mobile signature: type the signer\'s IDNP and mobile number.', 'sign.badMsisdn': 'The mobile number must be 8 to 15 digits, e.g. 37360000000.', 'sign.badIdnp': 'No test identity has this IDNP.', 'sign.choosePersona': 'Choose a signer.', 'sign.returnUrlMissing': 'ReturnUrl is missing or is not an absolute http(s) URL.',
    'sign.instr.mobile': 'Mobile signature', 'sign.instr.moldsign': 'MoldSign (USB token)', 'sign.instr.nationalid': 'National ID card', 'sign.instr.securesign': 'SecureSign (cloud)', 'sign.instr.tax': 'Fiscal Service (SFS) certificate', 'sign.instr.mobisign': 'MobiSign', 'sign.pending': 'Request', 'sign.expires': 'Expires at',
  },
  ro: {
    'app.title': 'Sandbox MPass / MSign',
    'nav.home': 'Acasă', 'nav.services': 'Servicii', 'nav.register': 'Înregistrează un serviciu', 'nav.events': 'Jurnal', 'nav.meta': 'Metadate', 'nav.api': 'API',
    'login.title': 'Autentificare cu MPass',
    'login.intro': 'Serviciul de mai jos vă cere să vă autentificați. Alegeți o identitate de test.',
    'login.service': 'Serviciu', 'login.choose': 'Identități de test', 'login.custom': 'Identitate proprie',
    'login.idnp': 'IDNP (13 cifre)', 'login.firstName': 'Prenume', 'login.lastName': 'Nume', 'login.birthDate': 'Data nașterii',
    'login.continue': 'Autentificare cu această identitate', 'login.cancel': 'Anulează', 'login.faults': 'Strică intenționat răspunsul (opțiuni SAML avansate)',
    'login.nonResident': 'nerezident', 'login.username': 'nume de utilizator',
    'login.acs': 'Răspunsul va fi trimis la', 'login.acsDiffers': 'preluat din AuthnRequest semnat; ACS implicit înregistrat este', 'error.back': 'Înapoi la serviciu',
    'autopost.working': 'Se procesează...', 'autopost.continue': 'Continuă', 'autopost.noscript': 'JavaScript este dezactivat: apăsați Continuă.',
    'error.title': 'Cererea a fost respinsă', 'error.checked': 'Ce s-a verificat', 'error.where': 'Unde', 'error.found': 'Găsit', 'error.expected': 'Așteptat', 'error.fix': 'Cum se corectează', 'error.code': 'Cod',
    'home.session': 'Sesiunea MPass', 'home.none': 'Nu sunteți autentificat în MPass.', 'home.as': 'Autentificat ca', 'home.services': 'Serviciile din această sesiune', 'home.logout': 'Ieșire din toate serviciile',
    'home.until': 'Sesiune valabilă până la',
    'logout.title': 'Deconectare unică', 'logout.done': 'Nu mai sunteți autentificat în MPass.', 'logout.progress': 'Deconectare din toate serviciile sesiunii…',
    'logout.sent': 'trimis', 'logout.answered': 'a răspuns', 'logout.timeout': 'timp expirat', 'logout.refused': 'încadrare refuzată', 'logout.badsig': 'semnătură invalidă', 'logout.error': 'eroare', 'logout.pending': 'în așteptare',
    'sign.title': 'Semnare cu MSign', 'sign.document': 'Documente de semnat', 'sign.instrument': 'Instrument de semnare', 'sign.signer': 'Semnatar', 'sign.sign': 'Semnează', 'sign.cancel': 'Anulează', 'sign.ok': 'OK',
    'sign.failed': 'Semnarea a eșuat', 'sign.msisdn': 'Număr de mobil (MSISDN)', 'sign.idnp': 'IDNP', 'sign.unknown': 'Această cerere de semnare nu există, s-a încheiat sau a expirat.',
    'sign.done': 'Semnat', 'sign.organisation': 'pentru organizația',
    'sign.service': 'Solicitat de', 'sign.reason': 'Motiv', 'sign.expected': 'Semnatar așteptat', 'sign.asPerson': 'ca persoană fizică', 'sign.legalOnly': 'Acest serviciu acceptă doar semnături în numele unei organizații.', 'sign.naturalOnly': 'Acest serviciu acceptă doar semnături ale persoanelor fizice.',
    'sign.mobileHint': 'Semnătură mobilă: introduceți IDNP-ul și numărul de mobil al semnatarului.', 'sign.badMsisdn': 'Numărul de mobil trebuie să aibă 8–15 cifre, de ex. 37360000000.', 'sign.badIdnp': 'Nicio identitate de test nu are acest IDNP.', 'sign.choosePersona': 'Alegeți un semnatar.', 'sign.returnUrlMissing': 'ReturnUrl lipsește sau nu este un URL http(s) absolut.',
    'sign.instr.mobile': 'Semnătură mobilă', 'sign.instr.moldsign': 'MoldSign (token USB)', 'sign.instr.nationalid': 'Buletin de identitate electronic', 'sign.instr.securesign': 'SecureSign (cloud)', 'sign.instr.tax': 'Certificat SFS', 'sign.instr.mobisign': 'MobiSign', 'sign.pending': 'Cerere', 'sign.expires': 'Expiră la',
  },
  ru: {
    'app.title': 'Песочница MPass / MSign',
    'nav.home': 'Главная', 'nav.services': 'Сервисы', 'nav.register': 'Зарегистрировать сервис', 'nav.events': 'Журнал', 'nav.meta': 'Метаданные', 'nav.api': 'API',
    'login.title': 'Вход через MPass',
    'login.intro': 'Сервис ниже просит вас пройти аутентификацию. Выберите тестовую личность.',
    'login.service': 'Сервис', 'login.choose': 'Тестовые личности', 'login.custom': 'Своя личность',
    'login.idnp': 'IDNP (13 цифр)', 'login.firstName': 'Имя', 'login.lastName': 'Фамилия', 'login.birthDate': 'Дата рождения',
    'login.continue': 'Войти под этой личностью', 'login.cancel': 'Отмена', 'login.faults': 'Намеренно испортить ответ (расширенные параметры SAML)',
    'login.nonResident': 'нерезидент', 'login.username': 'имя пользователя',
    'login.acs': 'Ответ будет отправлен на', 'login.acsDiffers': 'взято из подписанного AuthnRequest; зарегистрированный ACS по умолчанию —', 'error.back': 'Вернуться в сервис',
    'autopost.working': 'Обработка...', 'autopost.continue': 'Продолжить', 'autopost.noscript': 'JavaScript отключён: нажмите «Продолжить».',
    'error.title': 'Запрос отклонён', 'error.checked': 'Что проверялось', 'error.where': 'Где', 'error.found': 'Найдено', 'error.expected': 'Ожидалось', 'error.fix': 'Как исправить', 'error.code': 'Код',
    'home.session': 'Ваш сеанс MPass', 'home.none': 'Вы не аутентифицированы в MPass.', 'home.as': 'Вы вошли как', 'home.services': 'Сервисы этого сеанса', 'home.logout': 'Выйти из всех сервисов',
    'home.until': 'Сеанс действителен до',
    'logout.title': 'Единый выход', 'logout.done': 'Вы больше не аутентифицированы в MPass.', 'logout.progress': 'Выход из всех сервисов сеанса…',
    'logout.sent': 'отправлено', 'logout.answered': 'ответил', 'logout.timeout': 'время истекло', 'logout.refused': 'запрет фреймов', 'logout.badsig': 'неверная подпись', 'logout.error': 'ошибка', 'logout.pending': 'ожидание',
    'sign.title': 'Подписание через MSign', 'sign.document': 'Документы для подписи', 'sign.instrument': 'Средство подписи', 'sign.signer': 'Подписант', 'sign.sign': 'Подписать', 'sign.cancel': 'Отмена', 'sign.ok': 'OK',
    'sign.failed': 'Подписание не удалось', 'sign.msisdn': 'Номер мобильного (MSISDN)', 'sign.idnp': 'IDNP', 'sign.unknown': 'Такой запрос на подпись не существует, завершён или истёк.',
    'sign.done': 'Подписано', 'sign.organisation': 'от имени организации',
    'sign.service': 'Запрошено', 'sign.reason': 'Причина', 'sign.expected': 'Ожидаемый подписант', 'sign.asPerson': 'как физическое лицо', 'sign.legalOnly': 'Эта услуга принимает только подписи от имени организации.', 'sign.naturalOnly': 'Эта услуга принимает только подписи физических лиц.',
    'sign.mobileHint': 'Мобильная подпись: введите IDNP и номер мобильного подписанта.', 'sign.badMsisdn': 'Номер мобильного должен содержать 8–15 цифр, например 37360000000.', 'sign.badIdnp': 'Нет тестовой личности с таким IDNP.', 'sign.choosePersona': 'Выберите подписанта.', 'sign.returnUrlMissing': 'ReturnUrl отсутствует или не является абсолютным URL http(s).',
    'sign.instr.mobile': 'Мобильная подпись', 'sign.instr.moldsign': 'MoldSign (USB-токен)', 'sign.instr.nationalid': 'Электронное удостоверение личности', 'sign.instr.securesign': 'SecureSign (облако)', 'sign.instr.tax': 'Сертификат ГНС', 'sign.instr.mobisign': 'MobiSign', 'sign.pending': 'Запрос', 'sign.expires': 'Истекает',
  },
} as const;

export type TextKey = keyof (typeof T)['en'];

export function translator(lang: Lang): (key: TextKey) => string {
  const table = T[lang] as Record<string, string>;
  return (key) => table[key] ?? T.en[key] ?? key;
}

/**
 * The rejections a person meets most on the pages, in Romanian and Russian (the English text is the
 * Rejection itself). Found/expected values stay as they are: they are data.
 */
const REJECTIONS: Record<string, Partial<Record<Lang, { message: string; fix: string }>>> = {
  ERR_LOGIN_EXPIRED: {
    ro: { message: 'Această cerere de autentificare a expirat sau a primit deja răspuns (sandbox-ul poate fi fost repornit).', fix: 'Reveniți la serviciu și porniți din nou autentificarea.' },
    ru: { message: 'Этот запрос на вход истёк или уже получил ответ (песочница могла быть перезапущена).', fix: 'Вернитесь в сервис и начните вход заново.' },
  },
  ERR_UNKNOWN_ISSUER: {
    ro: { message: 'Niciun serviciu înregistrat nu are acest emitent (Issuer).', fix: 'Înregistrați serviciul cu acest Issuer sau corectați Issuer-ul trimis de serviciu.' },
    ru: { message: 'Ни один зарегистрированный сервис не имеет такого издателя (Issuer).', fix: 'Зарегистрируйте сервис с этим Issuer или исправьте Issuer, который отправляет сервис.' },
  },
  ERR_SIGNATURE_MISSING: {
    ro: { message: 'Mesajul nu este semnat.', fix: 'Semnați mesajul cu cheia privată a certificatului înregistrat pentru acest serviciu.' },
    ru: { message: 'Сообщение не подписано.', fix: 'Подпишите сообщение закрытым ключом сертификата, зарегистрированного для сервиса.' },
  },
  ERR_SIGNATURE_INVALID: {
    ro: { message: 'Semnătura nu se verifică cu certificatul înregistrat.', fix: 'Semnați cu cheia care corespunde certificatului .cer înregistrat și nu modificați mesajul după semnare.' },
    ru: { message: 'Подпись не проверяется зарегистрированным сертификатом.', fix: 'Подписывайте ключом, соответствующим зарегистрированному .cer, и не меняйте сообщение после подписи.' },
  },
  ERR_DESTINATION: {
    ro: { message: 'Destination nu indică acest punct de acces al sandbox-ului.', fix: 'Configurați serviciul cu adresa sandbox-ului (PUBLIC_URL decide gazda).' },
    ru: { message: 'Destination не указывает на эту точку доступа песочницы.', fix: 'Настройте сервис на адрес песочницы (хост задаёт PUBLIC_URL).' },
  },
  ERR_ISSUE_INSTANT_EXPIRED: {
    ro: { message: 'IssueInstant este prea vechi.', fix: 'Construiți un mesaj nou la fiecare încercare și verificați ceasul serviciului (NTP).' },
    ru: { message: 'IssueInstant слишком старый.', fix: 'Создавайте новое сообщение для каждой попытки и проверьте часы сервиса (NTP).' },
  },
  ERR_ISSUE_INSTANT_FUTURE: {
    ro: { message: 'IssueInstant este în viitor.', fix: 'Scrieți ora în UTC (nu ora locală) și verificați ceasul serviciului (NTP).' },
    ru: { message: 'IssueInstant в будущем.', fix: 'Пишите время в UTC (не местное) и проверьте часы сервиса (NTP).' },
  },
  ERR_XML_MALFORMED: {
    ro: { message: 'Mesajul nu este un XML bine format.', fix: 'Verificați codificarea (UTF-8), stratul base64/DEFLATE și că XML-ul este complet.' },
    ru: { message: 'Сообщение не является корректным XML.', fix: 'Проверьте кодировку (UTF-8), слой base64/DEFLATE и полноту XML.' },
  },
  ERR_XML_DOCTYPE: {
    ro: { message: 'XML-ul conține un DOCTYPE sau o declarație de entitate, pe care sandbox-ul nu le procesează niciodată.', fix: 'Eliminați declarațiile DOCTYPE/ENTITY; mesajele SAML și SOAP nu au nevoie de ele.' },
    ru: { message: 'XML содержит DOCTYPE или объявление сущности, которые песочница никогда не обрабатывает.', fix: 'Удалите объявления DOCTYPE/ENTITY; сообщениям SAML и SOAP они не нужны.' },
  },
  ERR_LOGOUT_EXPIRED: {
    ro: { message: 'Această deconectare este necunoscută sau s-a încheiat.', fix: 'Porniți din nou deconectarea din serviciu sau de pe pagina principală a sandbox-ului.' },
    ru: { message: 'Этот выход неизвестен или уже завершён.', fix: 'Начните выход заново из сервиса или с главной страницы песочницы.' },
  },
};

export function localizeRejection<R extends { code: string; message: string; fix: string }>(r: R, lang: Lang): R {
  const t = REJECTIONS[r.code]?.[lang];
  return t ? { ...r, message: t.message, fix: t.fix } : r;
}
