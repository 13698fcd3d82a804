import type { z } from 'zod';

/**
 * Raised for any bad input: an argument, a field of a file, a row of measurements. The message
 * names what was wrong and what is allowed; `issues` lists every problem found, not just the first.
 */
export class SweetspotInputError extends Error {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [message]) {
    super(message);
    this.name = 'SweetspotInputError';
    this.issues = issues;
  }
}

/** Formats zod issues as `where: path: message` lines. */
export function formatZodIssues(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    return `${where}: ${path}: ${issue.message}`;
  });
}

/** Parses `value` with `schema`, or throws a {@link SweetspotInputError} naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = formatZodIssues(result.error, where);
  throw new SweetspotInputError(issues.join('; '), issues);
}
