// Feed dates in the wild: RFC 822 with odd zone names, ISO 8601 without offsets, Russian month
// names. Everything without an explicit offset is taken as UTC, so the result never depends on the
// machine's time zone.

const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  BST: '+0100',
  CET: '+0100',
  CEST: '+0200',
  MET: '+0100',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  MSD: '+0400',
  SAMT: '+0400',
  YEKT: '+0500',
  OMST: '+0600',
  KRAT: '+0700',
  IRKT: '+0800',
  YAKT: '+0900',
  VLAT: '+1000',
  MAGT: '+1100',
  ALMT: '+0500',
  ORAT: '+0500',
  UZT: '+0500',
  KGT: '+0600',
  HKT: '+0800',
  SGT: '+0800',
  PHT: '+0800',
  AWST: '+0800',
  JST: '+0900',
  KST: '+0900',
  AEST: '+1000',
  AEDT: '+1100',
  IST: '+0530',
  PKT: '+0500',
  TRT: '+0300',
};

const MONTHS_RU: Record<string, string> = {
  янв: 'Jan',
  фев: 'Feb',
  мар: 'Mar',
  апр: 'Apr',
  мая: 'May',
  май: 'May',
  июн: 'Jun',
  июл: 'Jul',
  авг: 'Aug',
  сен: 'Sep',
  окт: 'Oct',
  ноя: 'Nov',
  дек: 'Dec',
};

const ISO_NO_OFFSET = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?$/;
const ISO_SPACE_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i;
const RFC822 = /^(?:[^\d\s,]+,?\s*)?(\d{1,2})\s+([^\s\d]+)\.?\s+(\d{2,4})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*([A-Za-z]+|[+-]\d{2}:?\d{2})?/;

/** Parses a feed date; null when absent or unreadable (or before 1991, i.e. a zero/epoch placeholder). */
export function parseFeedDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const v = value.trim();
  if (!v) return null;
  let t = Number.NaN;
  let m = ISO_NO_OFFSET.exec(v);
  if (m) {
    t = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}Z`.replace(',', '.'));
  } else if ((m = ISO_SPACE_OFFSET.exec(v))) {
    const off = m[3]!.toUpperCase() === 'Z' ? 'Z' : m[3]!.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
    t = Date.parse(`${m[1]}T${m[2]}${off}`);
  } else if ((m = RFC822.exec(v))) {
    const [, day, monthRaw, yearRaw, time, zoneRaw] = m;
    const month = MONTHS_RU[monthRaw!.toLowerCase().slice(0, 3)] ?? monthRaw!.slice(0, 3);
    let year = Number(yearRaw);
    if (yearRaw!.length === 2) year += year < 70 ? 2000 : 1900;
    const zone = !zoneRaw ? '+0000' : /^[+-]/.test(zoneRaw) ? zoneRaw.replace(':', '') : (ZONES[zoneRaw.toUpperCase()] ?? null);
    if (zone) t = Date.parse(`${day} ${month} ${year} ${time} ${zone}`);
  }
  if (Number.isNaN(t)) t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  return d.getUTCFullYear() < 1991 ? null : d;
}
