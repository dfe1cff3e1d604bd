/** The attendee states snapshots draw from: the documented ones and an undocumented `cancelled`. */
export const RECORD_ATTENDEE_STATES = ['booked', 'attended', 'absent', 'cancelled'];
/** The five documented voucher states. */
export const RECORD_VOUCHER_STATES = ['pending', 'notified', 'verify', 'redeemed', 'expired'];

const two = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO 8601 timestamp with offset, `hour` hours into a month of 2026.
 *
 * @param month - the month, as in `04`
 * @param hour - hours since the month's first midnight
 */
export function recordTimestamp(month: string, hour: number): string {
  return `2026-${month}-${two(1 + Math.floor(hour / 24))}T${two(hour % 24)}:00:00+02:00`;
}

/**
 * The statuses learner `i` moves through: two steps in progress, complete (twice, with another
 * `timestamp`: a new status, the same completion), and for one learner in `reEnrolEvery` a
 * re-enrolment (a new `joined`) in progress and complete again.
 *
 * @param i - the learner's index
 * @param reEnrolEvery - one learner in this many re-enrols
 * @param month - the month (`04`, `05`) of the timestamps, so that two plans never share one
 */
export function learnerStages(
  i: number,
  reEnrolEvery: number,
  month: string,
): Record<string, unknown>[] {
  const at = (hour: number) => recordTimestamp(month, hour);
  const first = { joined: at(i % 24) };
  const list: Record<string, unknown>[] = [
    { ...first, level: 1, state: 'In Progress', progress: 10, timestamp: at(30) },
    { ...first, level: 2, state: 'In Progress', progress: 60, timestamp: at(40) },
    { ...first, level: 3, state: 'Complete', progress: 100, timestamp: at(50) },
    { ...first, level: 3, state: 'Complete', progress: 100, timestamp: at(55) },
  ];
  if (i % reEnrolEvery === 0) {
    const again = { joined: at(100) };
    list.push(
      { ...again, level: 1, state: 'In Progress', progress: 5, timestamp: at(110) },
      { ...again, level: 3, state: 'Complete', progress: 100, timestamp: at(120) },
    );
  }
  return list;
}
