/** One rejected input: which field, the value as typed, and the rule it breaks. */
export interface FieldError {
  readonly field: string;
  readonly value: string;
  readonly rule: string;
}

export function fieldError(field: string, value: string, rule: string): FieldError {
  return { field, value, rule };
}

export function formatFieldError(e: FieldError): string {
  return `${e.field}: "${e.value}" ${e.rule}`;
}
