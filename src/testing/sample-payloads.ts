import type { FalkorEventType } from '../events/event-catalog.js';

const common = {
  occurredAt: '2026-11-28T10:15:00+00:00',
  pathway: { id: 'pw_8841', name: 'Onboarding / Safety 101' },
  user: { id: 'usr_1207', email: 'zoe.muller@example.com', firstName: 'Zoë', lastName: 'Müller' },
};

/**
 * A valid payload of every catalog event type, as plain JSON-ready objects.
 */
export const FALKOR_SAMPLE_PAYLOADS: Readonly<
  Record<FalkorEventType, Readonly<Record<string, unknown>>>
> = {
  'enrolment.created': {
    event: 'enrolment.created',
    ...common,
    enrolment: {
      id: 'enr_55',
      status: 'enrolled',
      progress: 0,
      enrolledAt: '2026-11-28T10:15:00+00:00',
      url: 'https://learn.example.com/p/8841',
    },
  },
  'enrolment.completed': {
    event: 'enrolment.completed',
    ...common,
    enrolment: {
      id: 'enr_55',
      status: 'completed',
      progress: 100,
      completedAt: '2026-11-28T10:15:00+00:00',
      url: 'https://learn.example.com/p/8841',
    },
  },
  'activity.completed': {
    event: 'activity.completed',
    ...common,
    activity: { id: 'act_301', title: 'Fire exits', type: 'quiz', score: 92 },
  },
  'attendance.registered': {
    event: 'attendance.registered',
    ...common,
    session: {
      id: 'ses_77',
      kind: 'classroom',
      title: 'First aid in practice',
      startsAt: '2026-12-03T09:00:00+00:00',
      location: 'Room 2',
    },
  },
  'attendance.checked_in': {
    event: 'attendance.checked_in',
    ...common,
    session: { id: 'ses_78', kind: 'event', title: 'Safety fair' },
  },
  'reward.unlocked': {
    event: 'reward.unlocked',
    ...common,
    reward: { id: 'rw_9', kind: 'badge', name: 'Safety champion', points: 50 },
  },
};
