// Calendar dates as whole day numbers (days since 1970-01-01, proleptic Gregorian), for code that
// handles millions of dates (the demo generator) or must be very fast (risk patterns): integer
// arithmetic cannot drift with time zones and allocates nothing.

export type Day = number;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Day number of a year, month (1–12) and day (Howard Hinnant's days_from_civil). */
export function dayFromCivil(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year, month and day of a day number (Howard Hinnant's civil_from_days). */
export function civilFromDay(dayNumber: Day): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** 'YYYY-MM-DD' of a day number. */
export function isoOfDay(dayNumber: Day): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of 'YYYY-MM-DD'; null when it is not a real calendar date. */
export function dayOfIso(text: string): Day | null {
  const match = isoPattern.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const dayNumber = dayFromCivil(year, month, day);
  const back = civilFromDay(dayNumber);
  return back.year === year && back.month === month && back.day === day ? dayNumber : null;
}
