import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_FALKOR_RECORDS_KEY_PREFIX,
  FALKOR_EVENT_CATALOG,
  FALKOR_RECORD_EVENT_TYPES,
  FalkorAttendeeDto,
  FalkorEnrolmentDto,
  FalkorPathwayDto,
  type FalkorRecordEventType,
  validateFalkorPayload,
} from '../../src/index.js';
import {
  type FalkorRecordChange,
  type FalkorRecordListening,
  falkorRecordChanges,
} from '../../src/records/record.changes.js';
import {
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
} from '../../src/testing/index.js';

type DeliveryType = 'enrolments' | 'events' | 'rewards';

const PREFIX = DEFAULT_FALKOR_RECORDS_KEY_PREFIX;
const everything: FalkorRecordListening = () => true;
const only =
  (...names: FalkorRecordEventType[]): FalkorRecordListening =>
  (name) =>
    names.includes(name);

function changesOf(
  type: DeliveryType,
  data: Record<string, unknown>,
  listening: FalkorRecordListening = everything,
): FalkorRecordChange[] {
  return falkorRecordChanges(type, falkorSamplePayload(type, { data }), listening, PREFIX);
}

const enrolments = (...list: Record<string, unknown>[]) => ({ enrolments: list });
const events = (...list: Record<string, unknown>[]) => ({ events: list });
const rewards = (...list: Record<string, unknown>[]) => ({ rewards: list });
const kindOf = (change: FalkorRecordChange) => change.key.slice(PREFIX.length).split(':')[0];
const keyOf = (changes: FalkorRecordChange[]) => {
  expect(changes).toHaveLength(1);
  return changes[0].key;
};

describe('enrolment changes', () => {
  it('finds one enrolment.updated change per enrolment, with its pathway and enrolment', () => {
    const payload = falkorSamplePayload('enrolments');
    const changes = falkorRecordChanges('enrolments', payload, everything, PREFIX);
    const data = payload.data as { pathway: object; enrolments: object[] };
    expect(changes).toHaveLength(2);
    changes.forEach((change, index) => {
      expect(kindOf(change)).toBe('enrolment');
      expect(change.events).toEqual(['enrolment.updated']);
      expect(change.payload).toEqual({ pathway: data.pathway, enrolment: data.enrolments[index] });
      expect((change.payload as { pathway: object }).pathway).toBe(data.pathway);
      expect((change.payload as { enrolment: object }).enrolment).toBe(data.enrolments[index]);
    });
    expect(changes[0].key).not.toBe(changes[1].key);
  });

  it('identifies a learner by pathway and e-mail address in any letter case', () => {
    const key = keyOf(changesOf('enrolments', enrolments(falkorSampleEnrolment())));
    for (const email of ['TEST@example.com', 'Test@Example.Com', 'test@EXAMPLE.COM']) {
      expect(keyOf(changesOf('enrolments', enrolments(falkorSampleEnrolment({ email }))))).toBe(
        key,
      );
    }
    const otherLearner = changesOf(
      'enrolments',
      enrolments(falkorSampleEnrolment({ email: 'test2@example.com' })),
    );
    const otherPathway = changesOf('enrolments', {
      pathway: { ID: 'FA-OTHER-0001' },
      ...enrolments(falkorSampleEnrolment()),
    });
    expect(new Set([key, keyOf(otherLearner), keyOf(otherPathway)]).size).toBe(3);
  });

  it('does not tell a learner by their name or location: only the status is the state', () => {
    const key = keyOf(changesOf('enrolments', enrolments(falkorSampleEnrolment())));
    const renamed = falkorSampleEnrolment({ firstname: 'Other', city: 'Durban' });
    expect(keyOf(changesOf('enrolments', enrolments(renamed)))).toBe(key);
  });

  it('takes the whole status as the state: any field that differs is a change', () => {
    const base = keyOf(changesOf('enrolments', enrolments(falkorSampleEnrolment())));
    const variants = [
      { progress: 91 },
      { level: 3 },
      { version: '1.2.4' },
      { timestamp: '2020-10-10T09:00:00+02:00' },
      { joined: '2020-10-08T12:00:06+02:00' },
      { state: 'Complete' },
      { badge: 'gold' },
    ].map((status) =>
      keyOf(
        changesOf(
          'enrolments',
          enrolments(falkorSampleEnrolment({ status })),
          only('enrolment.updated'),
        ),
      ),
    );
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('gives a status in another key order, or with null for an absent field, the same key', () => {
    const status = { state: 'In Progress', progress: 40, joined: '2020-10-01T12:00:06+02:00' };
    const key = keyOf(changesOf('enrolments', enrolments({ email: 'a@example.com', status })));
    const reordered = {
      joined: '2020-10-01T12:00:06+02:00',
      progress: 40,
      level: null,
      version: null,
      state: 'In Progress',
    };
    const respelled = changesOf(
      'enrolments',
      enrolments({ status: reordered, email: 'a@example.com' }),
    );
    expect(keyOf(respelled)).toBe(key);
  });

  it('finds an enrolment listed twice with the same status once, with its first payload', () => {
    const first = falkorSampleEnrolment({ firstname: 'First' });
    const again = falkorSampleEnrolment({ email: 'TEST@EXAMPLE.COM', firstname: 'Again' });
    const changes = changesOf('enrolments', enrolments(first, again));
    expect(changes).toHaveLength(1);
    expect((changes[0].payload as { enrolment: unknown }).enrolment).toEqual(first);
  });

  it('finds an enrolment listed twice with two statuses twice, in the order of the delivery', () => {
    const before = falkorSampleEnrolment({ status: { progress: 10 } });
    const after = falkorSampleEnrolment({ status: { progress: 20 } });
    const changes = changesOf('enrolments', enrolments(before, after));
    expect(changes.map((change) => (change.payload as { enrolment: unknown }).enrolment)).toEqual([
      before,
      after,
    ]);
  });

  it('adds an enrolment.completed change, of its own kind, when the state is Complete', () => {
    const complete = falkorSampleEnrolment({ status: { state: 'Complete', progress: 100 } });
    const changes = changesOf('enrolments', enrolments(complete));
    expect(changes.map((change) => [kindOf(change), change.events])).toEqual([
      ['enrolment', ['enrolment.updated']],
      ['completion', ['enrolment.completed']],
    ]);
    expect(changes[1].payload).toEqual(changes[0].payload);
  });

  it.each(['In Progress', 'complete', 'Completed', 'COMPLETE'])(
    'finds no completion for the state %j (the docs spell it "Complete")',
    (state) => {
      const changes = changesOf(
        'enrolments',
        enrolments(falkorSampleEnrolment({ status: { state } })),
      );
      expect(changes.map((change) => change.events)).toEqual([['enrolment.updated']]);
    },
  );

  it('keys a completion on the learner and joined date only, not on the rest of the status', () => {
    const completion = (status: Record<string, unknown>, email = 'test@example.com') =>
      changesOf(
        'enrolments',
        enrolments(falkorSampleEnrolment({ email, status })),
        only('enrolment.completed'),
      );
    const key = keyOf(completion({ state: 'Complete', progress: 100 }));
    expect(keyOf(completion({ state: 'Complete', progress: 99, level: 7, timestamp: null }))).toBe(
      key,
    );
    expect(keyOf(completion({ state: 'Complete' }, 'Test@Example.COM'))).toBe(key);
    // Re-enrolled: a new joined date is a new completion.
    expect(keyOf(completion({ state: 'Complete', joined: '2021-01-01T00:00:00+00:00' }))).not.toBe(
      key,
    );
  });

  it('gives a completion without a joined date, with null or "" for it, one key', () => {
    const completion = (joined: unknown) =>
      keyOf(
        changesOf(
          'enrolments',
          enrolments(falkorSampleEnrolment({ status: { state: 'Complete', joined } })),
          only('enrolment.completed'),
        ),
      );
    expect(new Set([completion(undefined), completion(null), completion('')]).size).toBe(1);
  });

  it('finds two completions in one delivery of the same learner and joined date once', () => {
    const changes = changesOf(
      'enrolments',
      enrolments(
        falkorSampleEnrolment({ status: { state: 'Complete', progress: 100 } }),
        falkorSampleEnrolment({ status: { state: 'Complete', progress: 99 } }),
      ),
      only('enrolment.completed'),
    );
    expect(changes).toHaveLength(1);
  });

  it('tracks only the enrolment events that have a listener', () => {
    const complete = enrolments(falkorSampleEnrolment({ status: { state: 'Complete' } }));
    expect(changesOf('enrolments', complete, only('enrolment.updated')).map(kindOf)).toEqual([
      'enrolment',
    ]);
    expect(changesOf('enrolments', complete, only('enrolment.completed')).map(kindOf)).toEqual([
      'completion',
    ]);
    expect(changesOf('enrolments', complete, only('attendee.updated'))).toEqual([]);
  });

  it('gives a validated instance the key of the plain object it came from', async () => {
    const plain = falkorSamplePayload('enrolments', {
      data: {
        enrolments: [
          falkorSampleEnrolment({ status: { state: 'Complete', version: null, level: undefined } }),
        ],
      },
    });
    const instance = await validateFalkorPayload(
      FALKOR_EVENT_CATALOG.enrolments,
      'enrolments',
      structuredClone(plain),
    );
    const fromInstance = falkorRecordChanges('enrolments', instance, everything, PREFIX);
    const fromPlain = falkorRecordChanges('enrolments', plain, everything, PREFIX);
    expect(fromInstance.map(({ key }) => key)).toEqual(fromPlain.map(({ key }) => key));
    const record = fromInstance[0].payload as { pathway: unknown; enrolment: unknown };
    expect(record.pathway).toBeInstanceOf(FalkorPathwayDto);
    expect(record.enrolment).toBeInstanceOf(FalkorEnrolmentDto);
  });
});

describe('attendee changes', () => {
  it.each(['booked', 'attended', 'absent'])(
    'fires attendee.updated and attendee.%s for that documented state',
    (state) => {
      const changes = changesOf(
        'events',
        events(falkorSampleEvent({ attendees: [falkorSampleAttendee({ state })] })),
      );
      expect(changes).toHaveLength(1);
      expect(kindOf(changes[0])).toBe('attendee');
      expect(changes[0].events).toEqual(['attendee.updated', `attendee.${state}`]);
    },
  );

  it.each(['waitlisted', 'Booked', 'updated', 'constructor', ''])(
    'fires attendee.updated only for the undocumented state %j',
    (state) => {
      const changes = changesOf(
        'events',
        events(falkorSampleEvent({ attendees: [falkorSampleAttendee({ state })] })),
      );
      expect(changes.map((change) => change.events)).toEqual([['attendee.updated']]);
    },
  );

  it('gives the attendee with its event and pathway, the event holding every attendee sent', () => {
    const first = falkorSampleAttendee({ guid: 'g-1' });
    const second = falkorSampleAttendee({ guid: 'g-2', state: 'attended' });
    const payload = falkorSamplePayload('events', {
      data: { events: [falkorSampleEvent({ ID: 'FABK-1', attendees: [first, second] })] },
    });
    const changes = falkorRecordChanges('events', payload, everything, PREFIX);
    const data = payload.data as { pathway: object; events: { attendees: object[] }[] };
    expect(changes.map((change) => change.payload)).toEqual([
      { pathway: data.pathway, event: data.events[0], attendee: first },
      { pathway: data.pathway, event: data.events[0], attendee: second },
    ]);
    expect((changes[1].payload as { event: unknown }).event).toBe(data.events[0]);
  });

  it('identifies an attendee by event ID and guid: the same guid at two events is two records', () => {
    const attendee = falkorSampleAttendee({ guid: 'g-1' });
    const changes = changesOf(
      'events',
      events(
        falkorSampleEvent({ ID: 'FABK-1', attendees: [attendee] }),
        falkorSampleEvent({ ID: 'FABK-2', attendees: [attendee] }),
      ),
    );
    expect(changes).toHaveLength(2);
    expect(changes[0].key).not.toBe(changes[1].key);
  });

  it('keys the state only: other fields of the attendee or event do not make a change', () => {
    const key = keyOf(changesOf('events', events(falkorSampleEvent())));
    const edited = falkorSampleEvent({
      name: 'Renamed',
      booked: 3,
      attendees: [falkorSampleAttendee({ firstname: 'Other', email: 'other@example.com' })],
    });
    expect(keyOf(changesOf('events', events(edited)))).toBe(key);
    const moved = falkorSampleEvent({ attendees: [falkorSampleAttendee({ state: 'attended' })] });
    expect(keyOf(changesOf('events', events(moved)))).not.toBe(key);
  });

  it('keeps the guid as sent: its letter case is part of the identity', () => {
    const lower = changesOf(
      'events',
      events(falkorSampleEvent({ attendees: [falkorSampleAttendee({ guid: 'abc' })] })),
    );
    const upper = changesOf(
      'events',
      events(falkorSampleEvent({ attendees: [falkorSampleAttendee({ guid: 'ABC' })] })),
    );
    expect(keyOf(lower)).not.toBe(keyOf(upper));
  });

  it('finds an attendee listed twice with one state once', () => {
    const attendee = falkorSampleAttendee();
    const changes = changesOf(
      'events',
      events(
        falkorSampleEvent({ attendees: [attendee, attendee] }),
        falkorSampleEvent({ attendees: [attendee] }),
      ),
    );
    expect(changes).toHaveLength(1);
  });

  it('tracks only the attendee events that have a listener, and skips a change with none', () => {
    const booked = events(
      falkorSampleEvent({ attendees: [falkorSampleAttendee({ state: 'booked' })] }),
    );
    const attended = events(
      falkorSampleEvent({ attendees: [falkorSampleAttendee({ state: 'attended' })] }),
    );
    expect(changesOf('events', booked, only('attendee.booked')).map((c) => c.events)).toEqual([
      ['attendee.booked'],
    ]);
    expect(changesOf('events', attended, only('attendee.booked'))).toEqual([]);
    expect(changesOf('events', attended, only('attendee.updated')).map((c) => c.events)).toEqual([
      ['attendee.updated'],
    ]);
    // Which events listen does not change the key: the change is the record's, not the listener's.
    expect(keyOf(changesOf('events', booked, only('attendee.booked')))).toBe(
      keyOf(changesOf('events', booked, only('attendee.updated'))),
    );
  });
});

describe('voucher changes', () => {
  it.each(['pending', 'notified', 'verify', 'redeemed', 'expired'])(
    'fires voucher.updated and voucher.%s for that documented state',
    (state) => {
      const changes = changesOf(
        'rewards',
        rewards(falkorSampleReward({ vouchers: [falkorSampleVoucher({ state })] })),
      );
      expect(changes).toHaveLength(1);
      expect(kindOf(changes[0])).toBe('voucher');
      expect(changes[0].events).toEqual(['voucher.updated', `voucher.${state}`]);
    },
  );

  it.each(['cancelled', 'Redeemed', 'updated', 'toString'])(
    'fires voucher.updated only for the undocumented state %j',
    (state) => {
      const changes = changesOf(
        'rewards',
        rewards(falkorSampleReward({ vouchers: [falkorSampleVoucher({ state })] })),
      );
      expect(changes.map((change) => change.events)).toEqual([['voucher.updated']]);
    },
  );

  it('identifies a voucher by reward ID and guid, and gives it with its reward and pathway', () => {
    const voucher = falkorSampleVoucher({ guid: 'v-1' });
    const payload = falkorSamplePayload('rewards', {
      data: {
        rewards: [
          falkorSampleReward({
            ID: 'R-1',
            vouchers: [voucher, falkorSampleVoucher({ guid: 'v-2' })],
          }),
          falkorSampleReward({ ID: 'R-2', vouchers: [voucher] }),
        ],
      },
    });
    const changes = falkorRecordChanges('rewards', payload, everything, PREFIX);
    const data = payload.data as { pathway: object; rewards: object[] };
    expect(new Set(changes.map(({ key }) => key)).size).toBe(3);
    expect(changes[0].payload).toEqual({ pathway: data.pathway, reward: data.rewards[0], voucher });
    expect((changes[2].payload as { reward: unknown }).reward).toBe(data.rewards[1]);
  });

  it('keys the state only: a voucher that moves is a change, one that is edited is not', () => {
    const key = keyOf(changesOf('rewards', rewards(falkorSampleReward())));
    const edited = falkorSampleReward({
      name: 'Tea',
      vouchers: [falkorSampleVoucher({ expires: '2030-01-01' })],
    });
    expect(keyOf(changesOf('rewards', rewards(edited)))).toBe(key);
    const moved = falkorSampleReward({ vouchers: [falkorSampleVoucher({ state: 'redeemed' })] });
    expect(keyOf(changesOf('rewards', rewards(moved)))).not.toBe(key);
  });

  it('never gives a voucher and an attendee of the same IDs and state the same key', () => {
    const ids = { ID: 'X-1', guid: 'g-1', state: 'booked' };
    const attendee = changesOf(
      'events',
      events(falkorSampleEvent({ ID: ids.ID, attendees: [falkorSampleAttendee(ids)] })),
    );
    const voucher = changesOf(
      'rewards',
      rewards(falkorSampleReward({ ID: ids.ID, vouchers: [falkorSampleVoucher(ids)] })),
    );
    expect(keyOf(attendee)).not.toBe(keyOf(voucher));
  });
});

describe('deliveries without record changes', () => {
  it('finds nothing when no record event has a listener', () => {
    for (const type of ['enrolments', 'events', 'rewards'] as const) {
      expect(falkorRecordChanges(type, falkorSamplePayload(type), () => false, PREFIX)).toEqual([]);
    }
  });

  it('finds nothing in a type that carries no records, or in lists of another type', () => {
    expect(
      falkorRecordChanges('certificates', { data: { pathway: { ID: 'P' } } }, everything, PREFIX),
    ).toEqual([]);
    const mixed = {
      type: 'events',
      data: {
        pathway: { ID: 'P' },
        enrolments: [falkorSampleEnrolment()],
        rewards: [falkorSampleReward()],
      },
    };
    expect(falkorRecordChanges('events', mixed, everything, PREFIX)).toEqual([]);
    expect(falkorRecordChanges('toString', mixed, everything, PREFIX)).toEqual([]);
  });

  it('finds nothing in an empty snapshot, and asks about the record events of its type only', () => {
    const asked = new Set<string>();
    const listening: FalkorRecordListening = (name) => {
      asked.add(name);
      return true;
    };
    expect(changesOf('events', events(), listening)).toEqual([]);
    expect(changesOf('events', events(falkorSampleEvent({ attendees: [] })), listening)).toEqual(
      [],
    );
    changesOf('events', events(falkorSampleEvent()), listening);
    expect([...asked].every((name) => name.startsWith('attendee.'))).toBe(true);
    expect(FALKOR_RECORD_EVENT_TYPES).toEqual(expect.arrayContaining([...asked]));
  });

  it('keeps validated attendees as they are', async () => {
    const payload = await validateFalkorPayload(
      FALKOR_EVENT_CATALOG.events,
      'events',
      falkorSamplePayload('events'),
    );
    const [change] = falkorRecordChanges('events', payload, everything, PREFIX);
    expect((change.payload as { attendee: unknown }).attendee).toBeInstanceOf(FalkorAttendeeDto);
  });
});
