import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import {
  FalkorValidationError,
  type FalkorValidationIssue,
} from '../errors/falkor-webhook.errors.js';

const DEFAULT_VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

function collectIssues(
  errors: readonly ValidationError[],
  parent: string,
  issues: FalkorValidationIssue[],
): FalkorValidationIssue[] {
  for (const error of errors) {
    const property = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      issues.push({ property, constraints: error.constraints });
    }
    if (error.children?.length) {
      collectIssues(error.children, property, issues);
    }
  }
  return issues;
}

/**
 * Transforms a parsed body into an instance of its DTO class and validates it with
 * class-validator, nested objects included. Properties the DTO does not declare are kept.
 *
 * @param dto - the DTO class of the event type
 * @param eventType - the event type, for the error message
 * @param body - the parsed JSON object
 * @param options - class-validator options merged over the defaults
 * @returns the validated DTO instance
 * @throws FalkorValidationError listing every failing property path
 */
export async function validateFalkorPayload<T extends object>(
  dto: ClassConstructor<T>,
  eventType: string,
  body: Record<string, unknown>,
  options?: ValidatorOptions,
): Promise<T> {
  const instance = plainToInstance(dto, body);
  const errors = await validate(
    instance,
    options ? { ...DEFAULT_VALIDATOR_OPTIONS, ...options } : DEFAULT_VALIDATOR_OPTIONS,
  );
  if (errors.length > 0) {
    throw new FalkorValidationError(eventType, collectIssues(errors, '', []));
  }
  return instance;
}
