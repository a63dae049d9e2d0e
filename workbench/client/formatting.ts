/**
 * `context.formatting` and the user's formatting settings from the language the person picked
 * (Dynamics takes them from the user's personal options; here the language's locale decides).
 */
const LOCALES: Record<number, string> = { 1033: "en-US", 1031: "de-DE", 1036: "fr-FR", 1041: "ja-JP", 1043: "nl-NL", 1025: "ar-SA", 1037: "he-IL" };
const RTL_LANGUAGES = new Set([1025, 1037]);

export function localeOf(languageId: number): string {
  return LOCALES[languageId] ?? "en-US";
}

export function isRightToLeft(languageId: number): boolean {
  return RTL_LANGUAGES.has(languageId);
}

export function createFormatting(languageId: number): ComponentFramework.Formatting {
  const locale = localeOf(languageId);
  const date = (value: Date, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options).format(value);
  return {
    formatCurrency: (value, precision = 2, symbol = "$") => `${symbol}${new Intl.NumberFormat(locale, { minimumFractionDigits: precision, maximumFractionDigits: precision }).format(value)}`,
    formatDecimal: (value, precision = 2) => new Intl.NumberFormat(locale, { minimumFractionDigits: precision, maximumFractionDigits: precision }).format(value),
    formatInteger: (value) => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value),
    formatDateAsFilterStringInUTC: (value, includeTime) => (includeTime ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : value.toISOString().slice(0, 10)),
    formatDateLong: (value) => date(value, { dateStyle: "full" }),
    formatDateLongAbbreviated: (value) => date(value, { dateStyle: "medium" }),
    formatDateShort: (value, includeTime) => date(value, includeTime ? { dateStyle: "short", timeStyle: "short" } : { dateStyle: "short" }),
    formatDateYearMonth: (value) => date(value, { year: "numeric", month: "long" }),
    formatLanguage: (value) => localeOf(value),
    formatTime: (value) => date(value, { timeStyle: "short" }),
    getWeekOfYear: (value) => {
      const day = new Date(Date.UTC(value.getFullYear(), value.getMonth(), value.getDate()));
      day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
      const yearStart = new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
      return Math.ceil(((day.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
    },
  };
}

/** The parts of UserSettings' formatting info the control may read, derived from the locale. */
export function formattingInfo(languageId: number): { date: ComponentFramework.UserSettingApi.DateFormattingInfo; number: ComponentFramework.UserSettingApi.NumberFormattingInfo } {
  const locale = localeOf(languageId);
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((part) => part.type === "group")?.value ?? ",";
  const decimal = parts.find((part) => part.type === "decimal")?.value ?? ".";
  const shortPattern = new Intl.DateTimeFormat(locale).formatToParts(new Date(2006, 0, 2)).map((part) => (part.type === "day" ? "d" : part.type === "month" ? "M" : part.type === "year" ? "yyyy" : part.value)).join("");
  const monthNames = Array.from({ length: 12 }, (_, month) => new Intl.DateTimeFormat(locale, { month: "long" }).format(new Date(2006, month, 1)));
  const dayNames = Array.from({ length: 7 }, (_, day) => new Intl.DateTimeFormat(locale, { weekday: "long" }).format(new Date(2006, 0, 1 + day)));
  return {
    date: {
      shortDatePattern: shortPattern,
      longDatePattern: "dddd, MMMM d, yyyy",
      shortTimePattern: "h:mm tt",
      longTimePattern: "h:mm:ss tt",
      fullDateTimePattern: "dddd, MMMM d, yyyy h:mm:ss tt",
      monthDayPattern: "MMMM d",
      yearMonthPattern: "MMMM yyyy",
      sortableDateTimePattern: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
      universalSortableDateTimePattern: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
      dateSeparator: shortPattern.replace(/[dMy]/g, "").charAt(0) || "/",
      timeSeparator: ":",
      amDesignator: "AM",
      pmDesignator: "PM",
      firstDayOfWeek: languageId === 1033 ? 0 : 1,
      calendarWeekRule: 0,
      dayNames,
      abbreviatedDayNames: dayNames.map((name) => name.slice(0, 3)),
      shortestDayNames: dayNames.map((name) => name.slice(0, 2)),
      monthNames,
      abbreviatedMonthNames: monthNames.map((name) => name.slice(0, 3)),
      monthGenitiveNames: monthNames,
      abbreviatedMonthGenitiveNames: monthNames.map((name) => name.slice(0, 3)),
      calendar: { minSupportedDateTime: new Date(1753, 0, 1), maxSupportedDateTime: new Date(9999, 11, 31), algorithmType: 1, calendarType: 1, twoDigitYearMax: 2029 },
    } as unknown as ComponentFramework.UserSettingApi.DateFormattingInfo,
    number: {
      numberDecimalSeparator: decimal,
      numberGroupSeparator: group,
      numberDecimalDigits: 2,
      numberGroupSizes: [3],
      currencyDecimalSeparator: decimal,
      currencyGroupSeparator: group,
      currencyDecimalDigits: 2,
      currencyGroupSizes: [3],
      currencySymbol: "$",
      currencyNegativePattern: 0,
      currencyPositivePattern: 0,
      percentDecimalSeparator: decimal,
      percentGroupSeparator: group,
      percentDecimalDigits: 2,
      percentGroupSizes: [3],
      percentSymbol: "%",
      percentNegativePattern: 0,
      percentPositivePattern: 0,
      negativeSign: "-",
      positiveSign: "+",
      negativeInfinitySymbol: "-Infinity",
      positiveInfinitySymbol: "Infinity",
      naNSymbol: "NaN",
      nativeDigits: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
      numberNegativePattern: 1,
      perMilleSymbol: "‰",
    } as unknown as ComponentFramework.UserSettingApi.NumberFormattingInfo,
  };
}
