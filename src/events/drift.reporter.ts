import {
  FalkorValidationError,
  type FalkorValidationIssue,
} from '../core/errors/falkor-webhook.errors.js';
import { FalkorOnceLog } from '../core/logging/once.log.js';
import { printableFalkorValue } from '../core/logging/printable.text.js';
import { findUndocumentedFalkorValues, type FalkorUndocumentedValue } from './value.drift.js';

/** How many distinct undocumented values are remembered (and so logged) per module import. */
export const FALKOR_DRIFT_MEMORY = 1000;

/**
 * Deals with the values of a validated payload that the platform's docs do not list. By default
 * they are accepted and each distinct one (per event type, field and value) is logged once, so
 * that users learn the platform changed; with `strict` they refuse the delivery with 400.
 */
export class FalkorValueDrift {
  private readonly log: FalkorOnceLog;

  /**
   * @param strict - refuse undocumented values instead of logging them
   * @param warn - where the warnings go
   * @param memory - how many distinct values to remember
   */
  constructor(
    private readonly strict: boolean,
    warn: (message: string) => void,
    memory = FALKOR_DRIFT_MEMORY,
  ) {
    this.log = new FalkorOnceLog(
      warn,
      memory,
      `${memory} distinct undocumented values have been logged; further ones are accepted ` +
        'without a log line.',
    );
  }

  /**
   * Checks a validated payload's documented values.
   *
   * @param type - the delivery's event type
   * @param payload - the validated DTO instance
   * @throws FalkorValidationError naming every undocumented value, when strict
   */
  check(type: string, payload: object): void {
    const found = findUndocumentedFalkorValues(payload);
    if (found.length === 0) {
      return;
    }
    if (this.strict) {
      throw new FalkorValidationError(type, found.map(issueOf));
    }
    for (const undocumented of found) {
      this.report(type, undocumented);
    }
  }

  private report(type: string, undocumented: FalkorUndocumentedValue): void {
    const value = printableFalkorValue(undocumented.value);
    const printedType = printableFalkorValue(type);
    this.log.once(
      `${printedType}\u0000${undocumented.field}\u0000${value}`,
      () =>
        `Accepted a delivery of type ${printedType} whose ${undocumented.property} is ${value}, a value ` +
        `the platform's docs do not list (they give ${undocumented.documented}): the platform ` +
        'may have changed. Set "strictValues: true" to refuse such deliveries with 400.',
    );
  }
}

function issueOf(undocumented: FalkorUndocumentedValue): FalkorValidationIssue {
  return {
    property: undocumented.property,
    constraints: {
      isDocumentedValue:
        `${undocumented.property} is ${printableFalkorValue(undocumented.value)}; the ` +
        `platform's docs give ${undocumented.documented} (strictValues is on)`,
    },
  };
}
