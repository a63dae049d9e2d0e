/** Dataverse's error body `{"error":{"code","message"}}` with the platform's hex codes. */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const CODES = {
  doesNotExist: "0x80040217",
  resourceNotFound: "0x8006088a",
  badProperty: "0x0",
  badBind: "0x80048d19",
  tooLong: "0x80044331",
  duplicateKey: "0x80040237",
  missingPrivilege: "0x80040220",
  requiredMissing: "0x80040200",
  badValue: "0x80040203",
  notAuthenticated: "0x80072560",
  serviceProtection: "0x80072322",
} as const;

export const notFound = (table: string, id: string) => new DataverseError(404, CODES.doesNotExist, `${table} With Id = ${id} Does Not Exist`);
export const badRequest = (message: string, code: string = CODES.badProperty) => new DataverseError(400, code, message);
export const unknownProperty = (property: string, table: string) =>
  new DataverseError(400, CODES.badProperty, `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${table}'.`);
export const preconditionFailed = () => new DataverseError(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");
