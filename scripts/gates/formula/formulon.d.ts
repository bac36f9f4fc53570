/** Types for formulon 6 (Salesforce formula parser), which ships none. */
declare module "formulon" {
  export interface FormulonLiteral {
    type: "literal";
    dataType: string;
    value: unknown;
    options?: Record<string, unknown>;
  }
  export interface FormulonError {
    type: "error";
    errorType: string;
    message: string;
    [key: string]: unknown;
  }
  /** Evaluates a formula; identifiers are replaced by the given literals. */
  export function parse(
    formula: string,
    substitutions?: Record<string, FormulonLiteral>
  ): FormulonLiteral | FormulonError;
  /** The identifiers (variables) a formula uses. */
  export function extract(formula: string): string[];
  /** The formula's syntax tree. */
  export function ast(formula: string): Record<string, unknown>;
  export function toString(literal: FormulonLiteral): string;
}
