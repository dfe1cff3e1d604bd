import { FALKOR_EVENT_TYPES, type FalkorDeliveryType } from '../index.js';
import { CliUsageError } from './cli.errors.js';

/** What each webhook of the platform reports, as its docs page says. */
export const CLI_EVENT_SUMMARIES: Readonly<Record<FalkorDeliveryType, string>> = {
  enrolments: 'Enrolments: a learner starts or completes a pathway, or their progress changes',
  events: 'Classroom & Events: a learner registers for, or checks in to, an activity',
  rewards: 'Rewards: a learner obtains a reward voucher on a pathway',
};

/**
 * Checks that an event type is in the catalog.
 *
 * @param type - the type given
 * @throws CliUsageError naming the known types when it is not
 */
export function catalogEventType(type: string): FalkorDeliveryType {
  if (!(FALKOR_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new CliUsageError(
      `Unknown event type "${type}": use one of ${FALKOR_EVENT_TYPES.join(', ')} ` +
        '(or --file to send a payload of another type).',
    );
  }
  return type as FalkorDeliveryType;
}
