import {
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSampleReward,
  falkorSampleVoucher,
} from 'nestjs-falkor-webhook/testing';

// Deterministic records of the documented shapes, every value one the docs list (states,
// percentages, ISO 8601 timestamps with an offset, e-mail addresses), so that the module's check
// of documented values finds nothing to log and every variant does the same work on each run.
// Names and places vary, a few non-ASCII, as a pathway's learners do.

const FIRST_NAMES = ['Thandiwe', 'Pieter', 'Zoë', 'Sipho', 'Ananya', 'Jürgen', 'Lerato', 'Mateo'];
const LAST_NAMES = ['Nkosi', 'van der Merwe', 'Dlamini', 'Okafor', 'Müller', 'Naidoo', 'Botha'];
const PLACES = [
  ['South Africa', 'Cape Town'],
  ['South Africa', 'Johannesburg'],
  ['South Africa', 'Gqeberha'],
  ['Namibia', 'Windhoek'],
  ['Botswana', 'Gaborone'],
] as const;

const two = (n: number) => String(n).padStart(2, '0');

/** An ISO 8601 date-time with an offset, in March 2026, `n` hours after its start. */
function timestamp(n: number): string {
  return `2026-03-${two(1 + (Math.floor(n / 24) % 28))}T${two(n % 24)}:${two((n * 7) % 60)}:06+02:00`;
}

/** The learner fields of record `i`: every tenth learner withholds their location. */
function learner(i: number): Record<string, unknown> {
  const firstname = FIRST_NAMES[i % FIRST_NAMES.length];
  const lastname = LAST_NAMES[i % LAST_NAMES.length];
  const [country, city] = PLACES[i % PLACES.length];
  const local = `${firstname}.${lastname}`.normalize('NFD').replace(/[^A-Za-z.]/g, '');
  return {
    email: `${local.toLowerCase()}.${i}@learners.example.com`,
    firstname,
    lastname,
    country: i % 10 === 9 ? undefined : country,
    city: i % 10 === 9 ? undefined : city,
  };
}

/** Enrolment `i` of a pathway: one in four complete, the others somewhere along it. */
export function benchEnrolment(i: number): Record<string, unknown> {
  const complete = i % 4 === 3;
  return falkorSampleEnrolment({
    ...learner(i),
    status: {
      level: 1 + (i % 5),
      state: complete ? 'Complete' : 'In Progress',
      progress: complete ? 100 : (i * 37) % 100,
      version: `1.${i % 4}.${i % 7}`,
      timestamp: timestamp(i + 400),
      joined: timestamp(i),
    },
  });
}

/** Attendee `i` of an event. */
export function benchAttendee(i: number): Record<string, unknown> {
  return falkorSampleAttendee({
    ...learner(i),
    guid: `8bd0705f-c640-4191-9a1c-${String(i).padStart(12, '0')}`,
    state: ['booked', 'attended', 'absent'][i % 3],
  });
}

/** Voucher `i` of a reward. */
export function benchVoucher(i: number): Record<string, unknown> {
  return falkorSampleVoucher({
    ...learner(i),
    guid: `6c720133-3916-4172-94c9-${String(i).padStart(12, '0')}`,
    state: ['pending', 'notified', 'verify'][i % 3],
  });
}

/** An event with `attendees` attendees. */
export function benchEvent(attendees: number): Record<string, unknown> {
  return falkorSampleEvent({
    ID: 'FABK-YVUU-89RU',
    name: 'Fire warden practical, Cape Town',
    start: timestamp(200),
    end: timestamp(204),
    booked: attendees,
    available: 20,
    attendees: Array.from({ length: attendees }, (_, i) => benchAttendee(i)),
  });
}

/** A reward with `vouchers` vouchers. */
export function benchReward(vouchers: number): Record<string, unknown> {
  return falkorSampleReward({
    ID: 'FARE-STZH-05MD',
    name: 'Cup of Coffee at the canteen',
    vouchers: Array.from({ length: vouchers }, (_, i) => benchVoucher(i)),
  });
}

/** The pathway every bench delivery belongs to. */
export const BENCH_PATHWAY = { name: 'Workplace Health and Safety Induction', ID: 'FA-HCPG-06RF' };

/** The first `records` enrolments of the pathway. */
export function benchEnrolments(records: number): Record<string, unknown>[] {
  return Array.from({ length: records }, (_, i) => benchEnrolment(i));
}

/**
 * The payload of an `enrolments` delivery carrying `records` enrolments: 3 make the small
 * delivery, 1,000 the snapshot of a whole pathway the docs leave possible.
 */
export function benchEnrolmentsPayload(records: number): Record<string, unknown> {
  return {
    type: 'enrolments',
    data: { pathway: BENCH_PATHWAY, enrolments: benchEnrolments(records) },
  };
}

/** How many enrolments the small delivery and the snapshot carry. */
export const BENCH_RECORDS = { small: 3, snapshot: 1000 } as const;
