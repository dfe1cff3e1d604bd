import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import {
  FalkorValidationError,
  type FalkorValidationIssue,
} from '../errors/falkor-webhook.errors.js';
import { isCheckableWith, passesFalkorRules } from './payload.checker.js';
import { transformFalkorPayload } from './payload.transformer.js';

const DEFAULT_VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};
const DEFAULTS_CHECKABLE = isCheckableWith(DEFAULT_VALIDATOR_OPTIONS);

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

function withDefaults(options: ValidatorOptions | undefined): ValidatorOptions {
  return options ? { ...DEFAULT_VALIDATOR_OPTIONS, ...options } : DEFAULT_VALIDATOR_OPTIONS;
}

/**
 * The straightforward path: class-transformer's `plainToInstance`, then class-validator's
 * `validate` (asynchronous constraints included). It decides every delivery the fast path does
 * not accept, and gives the errors of an invalid one.
 *
 * @throws FalkorValidationError listing every failing property path
 */
export async function validateFalkorPayloadStraight<T extends object>(
  dto: ClassConstructor<T>,
  eventType: string,
  body: Record<string, unknown>,
  options?: ValidatorOptions,
): Promise<T> {
  const instance = plainToInstance(dto, body);
  const errors = await validate(instance, withDefaults(options));
  if (errors.length > 0) {
    throw new FalkorValidationError(eventType, collectIssues(errors, '', []));
  }
  return instance;
}

/**
 * The fast path: the same transformation and the same constraints as the straightforward path,
 * with each class's metadata looked up once, synchronously.
 *
 * @returns the validated instance, or `undefined` when the payload is invalid or needs the
 * straightforward path to decide (asynchronous constraints, `@Transform` and other decorators the
 * fast path leaves to class-transformer, options that change what is accepted)
 */
export function fastFalkorPayload<T extends object>(
  dto: ClassConstructor<T>,
  body: Record<string, unknown>,
  options?: ValidatorOptions,
): T | undefined {
  const effective = withDefaults(options);
  if (options ? !isCheckableWith(effective) : !DEFAULTS_CHECKABLE) {
    return undefined;
  }
  const instance = transformFalkorPayload(dto as new () => T, body);
  return instance !== undefined && passesFalkorRules(instance, effective) ? instance : undefined;
}

/**
 * {@link validateFalkorPayload} without a promise when none is needed: the instance itself when the
 * fast path accepts the payload, otherwise a promise of the straightforward path's answer.
 *
 * @throws FalkorValidationError (through the promise) listing every failing property path
 */
export function checkFalkorPayload<T extends object>(
  dto: ClassConstructor<T>,
  eventType: string,
  body: Record<string, unknown>,
  options?: ValidatorOptions,
): T | Promise<T> {
  return (
    fastFalkorPayload(dto, body, options) ??
    validateFalkorPayloadStraight(dto, eventType, body, options)
  );
}

/**
 * Transforms a parsed body into an instance of its DTO class and validates it with
 * class-validator, nested objects included. Properties the DTO does not declare are kept.
 *
 * A valid payload of plain `@Type`/class-validator DTOs is accepted by a fast path that looks each
 * class's metadata up once; anything else (and every invalid payload) goes through
 * `plainToInstance` and `validate`, which decide and describe the errors.
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
  return checkFalkorPayload(dto, eventType, body, options);
}
