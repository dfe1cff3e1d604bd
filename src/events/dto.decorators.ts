import { Type } from 'class-transformer';
import {
  buildMessage,
  IS_EMAIL,
  IS_ISO8601,
  IS_URL,
  IsDefined,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { isFalkorEmail, isFalkorTimestamp, isFalkorUrl } from './format.checks.js';

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A required, non-empty string (an id, a status, an event type). */
export const IsRequiredFalkorText = (): PropertyDecorator => compose(IsString(), IsNotEmpty());

/**
 * A format rule that decides as class-validator's own decorator does (same name, same constraint
 * key in errors, same message), with a check that recognises the usual shape of the value first.
 */
function formatRule(
  name: string,
  check: (value: unknown) => boolean,
  message: string,
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: check,
      defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property ${message}`),
    },
  });
}

/** An ISO 8601 date-time, required: class-validator's `@IsISO8601({ strict: true })`. */
export const IsFalkorTimestamp = (): PropertyDecorator =>
  formatRule(IS_ISO8601, isFalkorTimestamp, 'must be a valid ISO 8601 date string');

/** An e-mail address, validated when present: class-validator's `@IsEmail()`. */
export const IsOptionalFalkorEmail = (): PropertyDecorator =>
  compose(IsOptional(), formatRule(IS_EMAIL, isFalkorEmail, 'must be an email'));

/** A URL, validated when present: class-validator's `@IsUrl({ require_tld: false })`. */
export const IsOptionalFalkorUrl = (): PropertyDecorator =>
  compose(IsOptional(), formatRule(IS_URL, isFalkorUrl, 'must be a URL address'));

/** An ISO 8601 date-time, validated when present. */
export const IsOptionalFalkorTimestamp = (): PropertyDecorator =>
  compose(IsOptional(), IsFalkorTimestamp());

/** A string, validated when present. */
export const IsOptionalFalkorText = (): PropertyDecorator => compose(IsOptional(), IsString());

/** A finite number from `min` to `max`, validated when present. */
export const IsOptionalFalkorNumber = (min: number, max = Infinity): PropertyDecorator =>
  compose(
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(min),
    ...(max === Infinity ? [] : [Max(max)]),
  );

/** A required nested object, transformed into `dto` and validated with its rules. */
export const IsNestedFalkorDto = (dto: () => new () => object): PropertyDecorator =>
  compose(IsDefined(), IsObject(), ValidateNested(), Type(dto));
