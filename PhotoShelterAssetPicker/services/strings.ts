/** Looks up user-visible text from the control's .resx for the user's language. */
export type GetString = (key: string) => string;

/** Wraps `context.resources.getString`, falling back to the key so a missing entry is visible, not blank. */
export function stringsFrom(resources: ComponentFramework.Resources): GetString {
  return (key) => {
    const value = resources.getString(key);
    return value && value !== "" ? value : key;
  };
}

/** Replaces {0}, {1}, … with the given values. */
export function format(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? match : String(value);
  });
}
