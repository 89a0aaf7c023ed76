// The texts of the conformance, readiness and integration-form pages in the three MPass languages, in one
// place (the message catalogue can absorb this table as it is). Reasons, evidence and fixes stay English:
// they are data shared with the JSON API and JUnit.
import type { Lang } from '../lang.js';

const T = {
  en: {
    'conf.title': 'Conformance run', 'conf.summary': 'Summary', 'conf.running': 'Running…', 'conf.done': 'Done',
    'conf.passed': 'passed', 'conf.failed': 'failed', 'conf.errors': 'could not run', 'conf.of': 'of',
    'conf.case': 'Case', 'conf.expected': 'Expected', 'conf.verdict': 'Verdict', 'conf.reason': 'Why', 'conf.fix': 'What to fix',
    'conf.sent': 'What the sandbox sent (decoded)', 'conf.answer': 'What the service answered', 'conf.check': 'checkUrl answered',
    'conf.accept': 'the service must accept (open a session)', 'conf.reject': 'the service must reject (no session)',
    'conf.pass': 'pass', 'conf.fail': 'fail', 'conf.error': 'error', 'conf.junit': 'JUnit XML', 'conf.json': 'JSON',
    'conf.runs': 'Conformance runs', 'conf.none': 'No run yet.', 'conf.start': 'Run the official test plan',
    'conf.loginUrl': 'Login URL at the service (GET starts an MPass login)', 'conf.checkUrl': 'Check URL (answers 2xx only when logged in)', 'conf.logoutUrl': 'Logout URL at the service (optional, for TC_FUNCT_04)',
    'conf.refresh': 'This page refreshes while the run goes on.', 'conf.target': 'Service under test',
    'ready.title': 'Ready for production?', 'ready.yes': 'Nothing the production environment would refuse was found.', 'ready.no': 'The production environment would refuse this registration or this service:',
    'ready.ok': 'ok', 'ready.notok': 'to fix',
    'svc.form': 'Filled integration form (PDF)', 'svc.cer': 'Certificate (.cer)', 'svc.readiness': 'Ready for production?',
  },
  ro: {
    'conf.title': 'Verificare de conformitate', 'conf.summary': 'Rezumat', 'conf.running': 'În desfășurare…', 'conf.done': 'Încheiată',
    'conf.passed': 'reușite', 'conf.failed': 'eșuate', 'conf.errors': 'nu au putut rula', 'conf.of': 'din',
    'conf.case': 'Caz', 'conf.expected': 'Așteptat', 'conf.verdict': 'Verdict', 'conf.reason': 'De ce', 'conf.fix': 'Ce trebuie corectat',
    'conf.sent': 'Ce a trimis sandbox-ul (decodat)', 'conf.answer': 'Ce a răspuns serviciul', 'conf.check': 'checkUrl a răspuns',
    'conf.accept': 'serviciul trebuie să accepte (să deschidă o sesiune)', 'conf.reject': 'serviciul trebuie să respingă (nicio sesiune)',
    'conf.pass': 'reușit', 'conf.fail': 'eșuat', 'conf.error': 'eroare', 'conf.junit': 'JUnit XML', 'conf.json': 'JSON',
    'conf.runs': 'Verificări de conformitate', 'conf.none': 'Nicio verificare încă.', 'conf.start': 'Rulează planul oficial de testare',
    'conf.loginUrl': 'URL de autentificare al serviciului (GET pornește autentificarea MPass)', 'conf.checkUrl': 'URL de verificare (răspunde 2xx doar unui utilizator autentificat)', 'conf.logoutUrl': 'URL de deconectare al serviciului (opțional, pentru TC_FUNCT_04)',
    'conf.refresh': 'Pagina se reîncarcă până la încheierea verificării.', 'conf.target': 'Serviciul verificat',
    'ready.title': 'Gata pentru producție?', 'ready.yes': 'Nu s-a găsit nimic ce mediul de producție ar refuza.', 'ready.no': 'Mediul de producție ar refuza această înregistrare sau acest serviciu:',
    'ready.ok': 'în regulă', 'ready.notok': 'de corectat',
    'svc.form': 'Formularul de integrare completat (PDF)', 'svc.cer': 'Certificatul (.cer)', 'svc.readiness': 'Gata pentru producție?',
  },
  ru: {
    'conf.title': 'Проверка соответствия', 'conf.summary': 'Итог', 'conf.running': 'Выполняется…', 'conf.done': 'Завершена',
    'conf.passed': 'пройдено', 'conf.failed': 'не пройдено', 'conf.errors': 'не удалось выполнить', 'conf.of': 'из',
    'conf.case': 'Случай', 'conf.expected': 'Ожидается', 'conf.verdict': 'Вердикт', 'conf.reason': 'Почему', 'conf.fix': 'Что исправить',
    'conf.sent': 'Что отправила песочница (декодировано)', 'conf.answer': 'Что ответил сервис', 'conf.check': 'checkUrl ответил',
    'conf.accept': 'сервис должен принять (открыть сеанс)', 'conf.reject': 'сервис должен отклонить (без сеанса)',
    'conf.pass': 'пройден', 'conf.fail': 'не пройден', 'conf.error': 'ошибка', 'conf.junit': 'JUnit XML', 'conf.json': 'JSON',
    'conf.runs': 'Проверки соответствия', 'conf.none': 'Проверок ещё не было.', 'conf.start': 'Запустить официальный план тестирования',
    'conf.loginUrl': 'URL входа в сервисе (GET начинает вход через MPass)', 'conf.checkUrl': 'URL проверки (отвечает 2xx только вошедшему пользователю)', 'conf.logoutUrl': 'URL выхода в сервисе (необязательно, для TC_FUNCT_04)',
    'conf.refresh': 'Страница обновляется, пока идёт проверка.', 'conf.target': 'Проверяемый сервис',
    'ready.title': 'Готов к промышленной среде?', 'ready.yes': 'Ничего, что отклонила бы промышленная среда, не найдено.', 'ready.no': 'Промышленная среда отклонила бы эту регистрацию или этот сервис:',
    'ready.ok': 'в порядке', 'ready.notok': 'исправить',
    'svc.form': 'Заполненная форма интеграции (PDF)', 'svc.cer': 'Сертификат (.cer)', 'svc.readiness': 'Готов к промышленной среде?',
  },
} as const;

export type CertifyKey = keyof (typeof T)['en'];

export function certifyText(lang: Lang): (key: CertifyKey) => string {
  const table = T[lang] as Record<string, string>;
  return (key) => table[key] ?? T.en[key];
}

/** The integration form's labels ("Formular pentru integrarea serviciilor MPass/MSign"), Romanian first as the original. */
const FORM = {
  ro: {
    title: 'Formular pentru integrarea serviciilor MPass/MSign',
    filled: 'Completat de sandbox-ul MPass/MSign din înregistrarea', on: 'la', env: 'Mediul: testare → transfer în producție',
    s1: '1. Sistemul informațional', nameRo: 'Denumirea (română)', nameRu: 'Denumirea (rusă)', nameEn: 'Denumirea (engleză)', description: 'Descrierea (o frază)',
    s2: '2. Persoana de contact', contactName: 'Nume, prenume', email: 'E-mail', phone: 'Telefon',
    s3: '3. Certificatul sistemului', subject: 'Subiect', issuer: 'Emitent', serial: 'Număr de serie', fingerprint: 'Amprentă SHA-256', validFrom: 'Valabil de la', validTo: 'Valabil până la', file: 'Fișier', fileValue: 'certificate.cer (anexat)',
    s4: '4. MPass', contract: 'Contract (număr, data)', entityId: 'Issuer (Entity ID)', acs: 'URL AssertionConsumerService', logoutRequest: 'URL LogoutRequest', logoutResponse: 'URL LogoutResponse', attributes: 'Atribute solicitate', customAttributes: 'Atribute suplimentare',
    s5: '5. MSign', ips: 'Adrese IP', signerType: 'Tip semnatar', natural: 'persoană fizică', legal: 'persoană juridică', both: 'persoană fizică și juridică',
    s6: '6. Semnătura', head: 'Conducătorul instituției', signNote: 'Formularul se semnează electronic prin MSign de conducătorul instituției și se transmite împreună cu certificatul (.cer).',
    notRequested: 'nu se solicită', none: '—', contractNone: 'necompletat',
  },
  ru: {
    title: 'Форма для интеграции сервисов MPass/MSign',
    filled: 'Заполнено песочницей MPass/MSign по регистрации', on: '', env: 'Среда: тестирование → перевод в промышленную',
    s1: '1. Информационная система', nameRo: 'Название (румынский)', nameRu: 'Название (русский)', nameEn: 'Название (английский)', description: 'Описание (одно предложение)',
    s2: '2. Контактное лицо', contactName: 'Фамилия, имя', email: 'E-mail', phone: 'Телефон',
    s3: '3. Сертификат системы', subject: 'Субъект', issuer: 'Издатель', serial: 'Серийный номер', fingerprint: 'Отпечаток SHA-256', validFrom: 'Действителен с', validTo: 'Действителен до', file: 'Файл', fileValue: 'certificate.cer (приложен)',
    s4: '4. MPass', contract: 'Договор (номер, дата)', entityId: 'Issuer (Entity ID)', acs: 'URL AssertionConsumerService', logoutRequest: 'URL LogoutRequest', logoutResponse: 'URL LogoutResponse', attributes: 'Запрашиваемые атрибуты', customAttributes: 'Дополнительные атрибуты',
    s5: '5. MSign', ips: 'IP-адреса', signerType: 'Тип подписанта', natural: 'физическое лицо', legal: 'юридическое лицо', both: 'физическое и юридическое лицо',
    s6: '6. Подпись', head: 'Руководитель учреждения', signNote: 'Форма подписывается электронно через MSign руководителем учреждения и отправляется вместе с сертификатом (.cer).',
    notRequested: 'не запрашивается', none: '—', contractNone: 'не заполнено',
  },
  en: {
    title: 'Integration form for the MPass/MSign services',
    filled: 'Filled by the MPass/MSign sandbox from registration', on: 'on', env: 'Environment: testing → transfer to production',
    s1: '1. Information system', nameRo: 'Name (Romanian)', nameRu: 'Name (Russian)', nameEn: 'Name (English)', description: 'Description (one sentence)',
    s2: '2. Contact person', contactName: 'Name', email: 'E-mail', phone: 'Phone',
    s3: '3. System certificate', subject: 'Subject', issuer: 'Issuer', serial: 'Serial number', fingerprint: 'SHA-256 fingerprint', validFrom: 'Valid from', validTo: 'Valid to', file: 'File', fileValue: 'certificate.cer (attached)',
    s4: '4. MPass', contract: 'Contract (number, date)', entityId: 'Issuer (entity ID)', acs: 'AssertionConsumerService URL', logoutRequest: 'LogoutRequest URL', logoutResponse: 'LogoutResponse URL', attributes: 'Requested attributes', customAttributes: 'Custom attributes',
    s5: '5. MSign', ips: 'IP addresses', signerType: 'Signer type', natural: 'natural person', legal: 'legal person', both: 'natural and legal person',
    s6: '6. Signature', head: 'Head of the institution', signNote: 'The head of the institution signs this form electronically with MSign and sends it with the certificate (.cer).',
    notRequested: 'not requested', none: '—', contractNone: 'not filled',
  },
} as const;

export type FormLabels = { [K in keyof (typeof FORM)['ro']]: string };
export const formLabels = (lang: Lang): FormLabels => FORM[lang];
