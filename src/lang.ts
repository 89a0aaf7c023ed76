// The three languages of MPass and MSign pages and messages (MPASS.md §2.3, MSIGN.md §4.2): ro is the default.
export type Lang = 'ro' | 'ru' | 'en';
export const LANGS: readonly Lang[] = ['ro', 'ru', 'en'];
export const asLang = (v: unknown): Lang | undefined => (typeof v === 'string' && (LANGS as readonly string[]).includes(v.toLowerCase()) ? (v.toLowerCase() as Lang) : undefined);
