import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import { FalkorValidationError } from '../core/errors/falkor-webhook.errors.js';
import type { FalkorDtoClass } from './field.rules.js';
import { FALKOR_PLAN_DECLINED, falkorPayloadPlan } from './payload.plan.js';
import { buildableFalkorBody } from './plain-body.sanitiser.js';
import { falkorValidationIssues } from './validation.issues.js';

const DEFAULT_VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

function withDefaults(options: ValidatorOptions | undefined): ValidatorOptions {
  return options ? { ...DEFAULT_VALIDATOR_OPTIONS, ...options } : DEFAULT_VALIDATOR_OPTIONS;
}

/**
 * The stock path: class-transformer's `plainToInstance`, then class-validator's `validate`
 * (asynchronous constraints included). It decides every delivery the compiled plan declines, and
 * gives the errors of an invalid one.
 *
 * @throws FalkorValidationError listing every failing property path
 */
export async function validateFalkorPayloadStraight<T extends object>(
  dto: ClassConstructor<T>,
  eventType: string,
  body: Record<string, unknown>,
  options?: ValidatorOptions,
): Promise<T> {
  const buildable = buildableFalkorBody(body);
  const instance = plainToInstance(dto, buildable);
  const errors = await validate(instance, withDefaults(options));
  if (errors.length > 0) {
    throw new FalkorValidationError(eventType, falkorValidationIssues(errors, buildable));
  }
  return instance;
}

/**
 * Transforms a parsed body into an instance of its DTO class and validates it with
 * class-validator, nested objects included. Properties the DTO does not declare are kept.
 *
 * A valid payload of a catalog DTO is built by a plan compiled once per class from the catalog's
 * own field rules; anything else (a DTO of yours, `validatorOptions`, every invalid payload) goes
 * through `plainToInstance` and `validate`, which decide and describe the errors. Values the
 * platform's docs do not list are not checked here: the module's route does that.
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
  const plan = options === undefined ? falkorPayloadPlan(dto as FalkorDtoClass) : undefined;
  const built = plan?.(body);
  return built === undefined || built === FALKOR_PLAN_DECLINED
    ? validateFalkorPayloadStraight(dto, eventType, body, options)
    : (built as T);
}
