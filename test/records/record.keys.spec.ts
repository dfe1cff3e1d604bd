import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_FALKOR_RECORDS_KEY_PREFIX } from '../../src/index.js';
import { falkorRecordChanges } from '../../src/records/record.changes.js';
import { falkorChangeKey } from '../../src/records/record.keys.js';
import {
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
} from '../../src/testing/index.js';

const PREFIX = DEFAULT_FALKOR_RECORDS_KEY_PREFIX;
const everything = () => true;

describe('falkorChangeKey', () => {
  it('is the prefix, the kind and a SHA-256 in hex', () => {
    expect(falkorChangeKey('falkor-record:', 'attendee', ['FABK-1', 'g-1', 'booked'])).toMatch(
      /^falkor-record:attendee:[0-9a-f]{64}$/,
    );
    expect(falkorChangeKey('app:', 'voucher', ['R-1'])).toMatch(/^app:voucher:[0-9a-f]{64}$/);
    expect(falkorChangeKey('', 'completion', ['P-1'])).toMatch(/^completion:[0-9a-f]{64}$/);
  });

  it('is the same for the same parts and differs for another state, identity or kind', () => {
    const key = falkorChangeKey(PREFIX, 'attendee', ['FABK-1', 'g-1', 'booked']);
    expect(falkorChangeKey(PREFIX, 'attendee', ['FABK-1', 'g-1', 'booked'])).toBe(key);
    const others = [
      falkorChangeKey(PREFIX, 'attendee', ['FABK-1', 'g-1', 'attended']),
      falkorChangeKey(PREFIX, 'attendee', ['FABK-1', 'g-2', 'booked']),
      falkorChangeKey(PREFIX, 'attendee', ['FABK-2', 'g-1', 'booked']),
      falkorChangeKey(PREFIX, 'voucher', ['FABK-1', 'g-1', 'booked']),
    ];
    expect(new Set([key, ...others]).size).toBe(5);
  });

  it('keeps the boundaries between parts: ["ab", "c"] is not ["a", "bc"]', () => {
    expect(falkorChangeKey(PREFIX, 'voucher', ['ab', 'c'])).not.toBe(
      falkorChangeKey(PREFIX, 'voucher', ['a', 'bc']),
    );
    expect(falkorChangeKey(PREFIX, 'voucher', ['a:b', 'c'])).not.toBe(
      falkorChangeKey(PREFIX, 'voucher', ['a', 'b:c']),
    );
  });

  it('ignores the key order of objects, at every depth', () => {
    const one = { state: 'Complete', progress: 100, extra: { a: 1, b: [{ x: 1, y: 2 }] } };
    const other = { extra: { b: [{ y: 2, x: 1 }], a: 1 }, progress: 100, state: 'Complete' };
    expect(falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', one])).toBe(
      falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', other]),
    );
  });

  it('treats a field that is absent, null or "" as the same', () => {
    const keys = [
      { state: 'In Progress', progress: 10 },
      { state: 'In Progress', progress: 10, version: null },
      { state: 'In Progress', progress: 10, version: undefined },
      { state: 'In Progress', progress: 10, version: '' },
      { version: null, progress: 10, state: 'In Progress', timestamp: null },
    ].map((status) => falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', status]));
    expect(new Set(keys).size).toBe(1);
    expect(falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', { state: 'In Progress' }])).not.toBe(
      keys[0],
    );
  });

  it('tells a value from another of the same text: the order of arrays counts', () => {
    expect(falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', { list: [1, 2] }])).not.toBe(
      falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', { list: [2, 1] }]),
    );
    expect(falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', { progress: 10 }])).not.toBe(
      falkorChangeKey(PREFIX, 'enrolment', ['P', 'e', { progress: 11 }]),
    );
  });

  // Keys live for 90 days in a shared store: a release that derived them otherwise would fire
  // every change already recorded again.
  it('is stable: the SHA-256 of the canonical JSON of identity and state', () => {
    const parts = ['P', 'a@example.com', { state: 'Complete', version: null, progress: 100 }];
    const canonical = '["P","a@example.com",{"progress":100,"state":"Complete"}]';
    const digest = createHash('sha256').update(canonical).digest('hex');
    expect(falkorChangeKey(PREFIX, 'enrolment', parts)).toBe(`${PREFIX}enrolment:${digest}`);
  });
});

describe('the keys of changes found in deliveries', () => {
  const email = 'Ada.Lovelace@Example.org';
  const secrets = [
    email,
    email.toLowerCase(),
    'ada.lovelace',
    'example.org',
    'Lovelace',
    'Ada',
    'Cape Town',
  ];

  function keysOf(type: 'enrolments' | 'events' | 'rewards', data: Record<string, unknown>) {
    return falkorRecordChanges(type, falkorSamplePayload(type, { data }), everything, PREFIX).map(
      ({ key }) => key,
    );
  }

  it('hold no e-mail address, name or city in clear, in any letter case', () => {
    const person = { email, firstname: 'Ada', lastname: 'Lovelace', city: 'Cape Town' };
    const keys = [
      ...keysOf('enrolments', {
        enrolments: [
          falkorSampleEnrolment({
            ...person,
            status: { state: 'Complete', joined: '2020-10-01T12:00:06+02:00' },
          }),
        ],
      }),
      ...keysOf('events', {
        events: [falkorSampleEvent({ attendees: [falkorSampleAttendee(person)] })],
      }),
      ...keysOf('rewards', {
        rewards: [falkorSampleReward({ vouchers: [falkorSampleVoucher(person)] })],
      }),
    ];
    expect(keys).toHaveLength(4);
    for (const key of keys) {
      expect(key).toMatch(/^falkor-record:(enrolment|completion|attendee|voucher):[0-9a-f]{64}$/);
      for (const secret of secrets) {
        expect(key.toLowerCase()).not.toContain(secret.toLowerCase());
      }
    }
  });

  it('are named by kind: enrolment, completion, attendee and voucher', () => {
    const kinds = [
      ...keysOf('enrolments', {
        enrolments: [falkorSampleEnrolment({ status: { state: 'Complete' } })],
      }),
      ...keysOf('events', { events: [falkorSampleEvent()] }),
      ...keysOf('rewards', { rewards: [falkorSampleReward()] }),
    ].map((key) => key.slice(PREFIX.length).split(':')[0]);
    expect(kinds).toEqual(['enrolment', 'completion', 'attendee', 'voucher']);
  });

  it('start with the configured prefix', () => {
    const changes = falkorRecordChanges(
      'events',
      falkorSamplePayload('events'),
      everything,
      'tenant-7:',
    );
    expect(changes.map(({ key }) => key)).toEqual([
      expect.stringMatching(/^tenant-7:attendee:[0-9a-f]{64}$/),
    ]);
  });
});
