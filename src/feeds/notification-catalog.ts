/**
 * Demo notifications for the `notifications` feed: templates with a level and a title, whose
 * message is filled in from small word lists so consecutive notifications read differently.
 */
import type { Level } from '../protocol/payloads.ts';
import { pick, randomInt, type Random } from './random.ts';

export interface NotificationTemplate {
  level: Level;
  title: string;
  message: (random: Random) => string;
}

const PEOPLE = ['Alice', 'Bob', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo'] as const;
const SERVICES = ['api-gateway', 'search', 'billing', 'auth', 'media-upload', 'recommendations'] as const;
const REGIONS = ['eu-west', 'us-east', 'ap-south', 'sa-east'] as const;

export const NOTIFICATION_TEMPLATES: readonly NotificationTemplate[] = [
  { level: 'info', title: 'New message', message: (r) => `New message from ${pick(r, PEOPLE)}` },
  { level: 'info', title: 'Comments', message: (r) => `${randomInt(r, 2, 9)} new comments on your post` },
  {
    level: 'info',
    title: 'Meeting',
    message: (r) => `Meeting with ${pick(r, PEOPLE)} in ${pick(r, [5, 10, 15, 30])} minutes`,
  },
  { level: 'info', title: 'System update', message: () => 'A system update is available' },
  { level: 'info', title: 'Mention', message: (r) => `${pick(r, PEOPLE)} mentioned you in #general` },
  {
    level: 'success',
    title: 'Deploy finished',
    message: (r) => `${pick(r, SERVICES)} deployed to ${pick(r, REGIONS)}`,
  },
  {
    level: 'success',
    title: 'Backup complete',
    message: (r) => `Nightly backup finished in ${randomInt(r, 3, 40)} minutes`,
  },
  { level: 'success', title: 'New follower', message: (r) => `${pick(r, PEOPLE)} started following you` },
  {
    level: 'warn',
    title: 'Latency',
    message: (r) => `p99 latency of ${pick(r, SERVICES)} above ${randomInt(r, 3, 9) * 100} ms`,
  },
  {
    level: 'warn',
    title: 'Disk space',
    message: (r) => `Volume /data on ${pick(r, REGIONS)} is ${randomInt(r, 80, 95)}% full`,
  },
  {
    level: 'warn',
    title: 'Certificate',
    message: (r) => `TLS certificate expires in ${randomInt(r, 3, 14)} days`,
  },
  {
    level: 'error',
    title: 'Job failed',
    message: (r) => `Export job #${randomInt(r, 1000, 9999)} failed; retrying`,
  },
  {
    level: 'error',
    title: 'Payment declined',
    message: (r) => `A payment from ${pick(r, PEOPLE)} was declined`,
  },
];
