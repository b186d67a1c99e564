/**
 * The words of feed dates: month and weekday names in the languages feeds are written in (English,
 * German, French, Spanish, Italian, Portuguese, Dutch, Swedish, Danish, Norwegian), and time zone
 * names. Keys are lower-case without accents or a trailing dot (`févr.` is `fevr`).
 */

function table(groups: readonly (readonly string[])[]): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  groups.forEach((names, index) => {
    for (const name of names) map.set(name, index + 1);
  });
  return map;
}

/** Month names and abbreviations, January first. */
export const monthNames = table([
  ['jan', 'january', 'januar', 'janner', 'janvier', 'janv', 'enero', 'ene', 'gennaio', 'gen', 'janeiro', 'januari'],
  ['feb', 'february', 'februar', 'fevrier', 'fevr', 'fev', 'febrero', 'febbraio', 'fevereiro', 'februari'],
  ['mar', 'march', 'marz', 'maerz', 'mars', 'marzo', 'marco', 'maart', 'mrt', 'marts'],
  ['apr', 'april', 'avril', 'avr', 'abril', 'abr', 'aprile'],
  ['may', 'mai', 'mayo', 'maggio', 'mag', 'maio', 'mei', 'maj'],
  ['jun', 'june', 'juni', 'juin', 'junio', 'giugno', 'giu', 'junho'],
  ['jul', 'july', 'juli', 'juillet', 'juil', 'julio', 'luglio', 'lug', 'julho'],
  ['aug', 'august', 'aout', 'agosto', 'ago', 'augustus', 'augusti'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'setiembre', 'set', 'settembre', 'setembro'],
  ['oct', 'october', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre', 'ott', 'outubro', 'out'],
  ['nov', 'november', 'novembre', 'noviembre', 'novembro'],
  ['dec', 'december', 'dezember', 'dez', 'decembre', 'diciembre', 'dic', 'dicembre', 'dezembro', 'desember', 'des'],
]);

/** Weekday names and abbreviations: they say nothing the date does not, and are skipped. */
export const weekdayNames: ReadonlySet<string> = new Set([
  ...[
    'mon',
    'monday',
    'tue',
    'tues',
    'tuesday',
    'wed',
    'wednesday',
    'thu',
    'thur',
    'thurs',
    'thursday',
    'fri',
    'friday',
    'sat',
    'saturday',
    'sun',
    'sunday',
  ],
  ...[
    'mo',
    'di',
    'mi',
    'do',
    'fr',
    'sa',
    'so',
    'montag',
    'dienstag',
    'mittwoch',
    'donnerstag',
    'freitag',
    'samstag',
    'sonnabend',
    'sonntag',
  ],
  ...['lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  ...['mie', 'jue', 'vie', 'sab', 'dom', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo'],
  ...['gio', 'lunedi', 'martedi', 'mercoledi', 'giovedi', 'venerdi', 'domenica'],
  ...['seg', 'ter', 'qua', 'qui', 'sex', 'segunda', 'terca', 'quarta', 'quinta', 'sexta', 'segunda-feira', 'terca-feira', 'quarta-feira'],
  ...['quinta-feira', 'sexta-feira'],
  ...['ma', 'wo', 'vr', 'za', 'zo', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'],
  ...['man', 'tis', 'tir', 'ons', 'tor', 'fre', 'lor', 'son', 'mandag', 'tisdag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lordag'],
  ...['sondag'],
]);

/** Words that join the parts of a written date (`1 de enero de 2004`, `1. Mai 2004 um 19:48 Uhr`). */
export const fillerWords: ReadonlySet<string> = new Set([
  'de',
  'del',
  'do',
  'da',
  'um',
  'uhr',
  'a',
  'at',
  'om',
  'kl',
  'le',
  'el',
  'the',
  'of',
]);

/** The form a word is looked up by: lower case, no accents, no trailing dot. */
export function wordKey(word: string): string {
  const lower = word.toLowerCase();
  const plain = /[^\u0000-\u007f]/.test(lower) ? lower.normalize('NFD').replace(/\p{M}/gu, '') : lower;
  return plain.endsWith('.') ? plain.slice(0, -1) : plain;
}

/** Fixed offsets in minutes of the zone abbreviations feeds use (RFC 822's and common others). */
export const fixedZones: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  bst: 60,
  ist: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  west: 60,
  eet: 120,
  eest: 180,
  msk: 180,
  sast: 120,
  cat: 120,
  eat: 180,
  wat: 60,
  pkt: 300,
  npt: 345,
  ict: 420,
  wib: 420,
  hkt: 480,
  sgt: 480,
  awst: 480,
  pht: 480,
  cnt: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  acdt: 630,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

/**
 * Generic North American zones (`ET`, `PT`…) say neither standard nor daylight time: the offset
 * is the one in force at that moment in the zone they name.
 */
export const genericZones: Readonly<Record<string, string>> = {
  et: 'America/New_York',
  ct: 'America/Chicago',
  mt: 'America/Denver',
  pt: 'America/Los_Angeles',
  at: 'America/Halifax',
  akt: 'America/Anchorage',
  ht: 'Pacific/Honolulu',
};
