import { Type } from 'class-transformer';
import {
  IsDefined,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A required, non-empty string (an id, a status, an event type). */
export const IsRequiredFalkorText = (): PropertyDecorator => compose(IsString(), IsNotEmpty());

/** An ISO 8601 date-time, required. */
export const IsFalkorTimestamp = (): PropertyDecorator => IsISO8601({ strict: true });

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
