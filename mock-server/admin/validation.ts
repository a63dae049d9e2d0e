/**
 * Strict request validation with TypeBox's compiler. Fastify's default validator silently drops
 * unknown properties; the mock instead answers 400, so a client sending a misspelt field finds out.
 */
import { FormatRegistry, TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";

const FORMATS: Record<string, (value: string) => boolean> = {
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  "date-time": (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
};
for (const [name, check] of Object.entries(FORMATS)) if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);

/** A Fastify validatorCompiler (route option or setValidatorCompiler) for TypeBox schemas. */
export const strictValidator = ({ schema }: { schema: unknown }) => {
  const check = TypeCompiler.Compile(schema as TSchema);
  return (data: unknown) => {
    if (check.Check(data)) return { value: data };
    const first = check.Errors(data).First();
    return { error: new Error(first ? `${first.path || "body"}: ${first.message}` : "invalid request") };
  };
};
