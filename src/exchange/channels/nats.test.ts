import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { AckPolicy, connect, type JetStreamManager, type NatsConnection, StorageType } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import type { DeliveredEvent } from '../events.js';
import {
  eventSubject,
  type NatsChannel,
  natsChannel,
  orgSubjects,
  streamName,
  subjectToken,
} from './nats.js';
import { ChannelError, type ChannelTarget, type PushBatch } from './types.js';

describe('NATS names', () => {
  it('keeps UUIDs and resource codes, and encodes what a subject token cannot hold, one-to-one', () => {
    const org = '0b7e3c2a-5f1d-4e8a-9c3b-2d1f0e9a8b7c';
    expect(eventSubject(org, '330000-ABC-001')).toBe(`huitong.${org}.330000-ABC-001`);
    expect(orgSubjects(org)).toBe(`huitong.${org}.>`);
    expect(streamName(org)).toBe('HUITONG_0B7E3C2A-5F1D-4E8A-9C3B-2D1F0E9A8B7C');
    expect(subjectToken('a.b *>c_d')).toBe('a_2Eb_20_2A_3Ec_5Fd');
    expect(subjectToken('人口')).toBe('_E4_BA_BA_E5_8F_A3');
    expect(subjectToken('a.b')).not.toBe(subjectToken('a_b'));
    expect(subjectToken('')).toBe('_');
  });
});

const natsUp = await serviceAvailable('nats');

function target(orgId: string, resourceCode = '330000-ABC-001'): ChannelTarget {
  return { subscriptionId: randomUUID(), orgId, applicationId: randomUUID(), resourceCode };
}

function batch(to: ChannelTarget, count: number, firstSeq = 1): PushBatch {
  const events: DeliveredEvent[] = Array.from({ length: count }, (_, i) => ({
    seq: firstSeq + i,
    eventId: randomUUID(),
    op: i % 3 === 2 ? 'delete' : 'insert',
    key: { ID: `k-${firstSeq + i}` },
    keyId: `h-${firstSeq + i}`,
    row: i % 3 === 2 ? null : { ID: `k-${firstSeq + i}`, NAME: `张*${i}` },
    createdAt: new Date(Date.UTC(2026, 11, 6, 12, 0, i)).toISOString(),
  }));
  return {
    target: to,
    events,
    columns: [{ name: 'ID', type: 'string' }],
    keyColumns: ['ID'],
    snapshot: false,
    body: JSON.stringify({ events }),
  };
}

// The real JetStream server: each test's organisation is a fresh UUID, so its stream is its own.
describe.skipIf(!natsUp)('NATS JetStream channel', () => {
  let admin: NatsConnection;
  let jsm: JetStreamManager;
  let channel: NatsChannel;
  const streams = new Set<string>();
  const org = () => {
    const id = randomUUID();
    streams.add(streamName(id));
    return id;
  };

  /** Every message of a stream, read by an ordered consumer (headers and bodies decoded). */
  async function messages(stream: string) {
    const { state } = await jsm.streams.info(stream);
    if (!state.messages) return [];
    const consumer = await admin.jetstream().consumers.get(stream);
    const out: {
      subject: string;
      seq: number;
      headers: Record<string, string>;
      body: Record<string, unknown>;
    }[] = [];
    const fetched = await consumer.fetch({ max_messages: state.messages, expires: 5_000 });
    for await (const m of fetched) {
      const h: Record<string, string> = {};
      for (const k of m.headers?.keys() ?? []) h[k] = m.headers!.get(k);
      out.push({ subject: m.subject, seq: m.seq, headers: h, body: m.json() });
      if (out.length === state.messages) break;
    }
    return out;
  }

  beforeAll(async () => {
    admin = await connect({ servers: SERVICES.nats.url });
    jsm = await admin.jetstreamManager();
    channel = natsChannel({ url: SERVICES.nats.url });
  });
  afterAll(async () => {
    await channel?.close();
    for (const name of streams) await jsm?.streams.delete(name).catch(() => undefined);
    await admin?.drain();
  });

  it('creates the organisation’s stream and stores each event, in order, on its subject, with its body and headers', async () => {
    const orgId = org();
    const to = target(orgId);
    const sent = batch(to, 7);
    await channel.driverFor(to).deliver(sent);
    const info = await jsm.streams.info(streamName(orgId));
    expect(info.config.subjects).toEqual([`huitong.${orgId}.>`]);
    expect(info.config.storage).toBe(StorageType.File);
    const got = await messages(streamName(orgId));
    expect(got.map((m) => m.subject)).toEqual(sent.events.map(() => `huitong.${orgId}.330000-ABC-001`));
    expect(got.map((m) => m.body)).toEqual(
      sent.events.map((e) => ({ subscriptionId: to.subscriptionId, resourceCode: '330000-ABC-001', ...e })),
    );
    expect(Object.keys(got[0]!.body)).toEqual([
      'subscriptionId',
      'resourceCode',
      'seq',
      'eventId',
      'op',
      'key',
      'keyId',
      'row',
      'createdAt',
    ]);
    expect(got[2]!.headers).toMatchObject({
      'Huitong-Subscription': to.subscriptionId,
      'Huitong-Event-Id': sent.events[2]!.eventId,
      'Nats-Msg-Id': sent.events[2]!.eventId,
    });
  });

  it('stores a batch sent again once (message ids), and a later batch after it', async () => {
    const orgId = org();
    const to = target(orgId);
    const first = batch(to, 20);
    const before = { ...channel.counts };
    await channel.deliver(first);
    await channel.deliver(first);
    // A retry that overlaps: the last 5 again, then 5 new ones.
    const second = batch(to, 5, 21);
    await channel.deliver({ ...second, events: [...first.events.slice(15), ...second.events] });
    expect(channel.counts.stored - before.stored).toBe(25);
    expect(channel.counts.duplicates - before.duplicates).toBe(25);
    const got = await messages(streamName(orgId));
    expect(got.map((m) => m.body.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('keeps each subscription’s order when batches of two subscriptions go at once', async () => {
    const orgId = org();
    const [x, y] = [target(orgId), target(orgId, 'PEOPLE')];
    await Promise.all([
      (async () => {
        for (let b = 0; b < 3; b++) await channel.deliver(batch(x, 500, 1 + b * 500));
      })(),
      (async () => {
        for (let b = 0; b < 3; b++) await channel.deliver(batch(y, 500, 1 + b * 500));
      })(),
    ]);
    const got = await messages(streamName(orgId));
    const seqs = (id: string) => got.filter((m) => m.body.subscriptionId === id).map((m) => m.body.seq);
    const expected = Array.from({ length: 1500 }, (_, i) => i + 1);
    expect(seqs(x.subscriptionId)).toEqual(expected);
    expect(seqs(y.subscriptionId)).toEqual(expected);
    expect(got.filter((m) => m.subject.endsWith('.PEOPLE')).length).toBe(1500);
  });

  it('gives a second organisation a stream of its own, and keeps the first one’s stream as it was', async () => {
    const [a, b] = [org(), org()];
    await channel.deliver(batch(target(a), 3));
    await channel.deliver(batch(target(b, 'PEOPLE'), 4));
    await channel.deliver(batch(target(a, 'PEOPLE'), 2));
    const [inA, inB] = [await messages(streamName(a)), await messages(streamName(b))];
    expect(inA.map((m) => m.subject)).toEqual([
      ...Array(3).fill(`huitong.${a}.330000-ABC-001`),
      ...Array(2).fill(`huitong.${a}.PEOPLE`),
    ]);
    expect(inB.map((m) => m.subject)).toEqual(Array(4).fill(`huitong.${b}.PEOPLE`));
  });

  it('reuses an existing stream, adding its subjects when the stream lacks them', async () => {
    const orgId = org();
    const name = streamName(orgId);
    const other = `test.${randomUUID()}`;
    await jsm.streams.add({ name, subjects: [other], max_msgs: 1000 });
    await channel.deliver(batch(target(orgId), 2));
    const info = await jsm.streams.info(name);
    expect(info.config.subjects).toEqual([other, `huitong.${orgId}.>`]);
    expect(info.config.max_msgs).toBe(1000);
    expect(info.state.messages).toBe(2);
  });

  it('finds the stream again when an operator deleted it: one retryable failure, then delivery', async () => {
    const orgId = org();
    const to = target(orgId);
    await channel.deliver(batch(to, 1));
    await jsm.streams.delete(streamName(orgId));
    const failed = await channel.deliver(batch(to, 1, 2)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ChannelError);
    expect(failed).toMatchObject({ code: 'nats_unavailable', retryable: true });
    await channel.deliver(batch(to, 2, 2));
    expect((await messages(streamName(orgId))).map((m) => m.body.seq)).toEqual([2, 3]);
  });

  it('refuses for good when another stream holds the organisation’s subjects (nats_stream_conflict)', async () => {
    const orgId = org();
    const squatter = `TEST_SQUAT_${randomUUID().slice(0, 8)}`;
    streams.add(squatter);
    await jsm.streams.add({ name: squatter, subjects: [`huitong.${orgId}.>`] });
    const failed = await channel.deliver(batch(target(orgId), 2)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ChannelError);
    expect(failed).toMatchObject({ code: 'nats_stream_conflict', retryable: false });
    expect((await jsm.streams.info(squatter)).state.messages).toBe(0);
  });

  it('refuses for good an event larger than the server takes (nats_payload_too_large)', async () => {
    const to = target(org());
    const sent = batch(to, 2);
    sent.events[1]!.row = { BLOB: 'x'.repeat((admin.info?.max_payload ?? 1 << 20) + 1) };
    const failed = await channel.deliver(sent).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ChannelError);
    expect(failed).toMatchObject({ code: 'nats_payload_too_large', retryable: false });
  });

  it('refuses for good an event larger than an existing stream’s max_msg_size', async () => {
    const orgId = org();
    await jsm.streams.add({ name: streamName(orgId), subjects: [orgSubjects(orgId)], max_msg_size: 100 });
    const failed = await channel.deliver(batch(target(orgId), 2)).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'nats_payload_too_large', retryable: false });
  });

  it('uses a connection it is given, and leaves it open', async () => {
    const orgId = org();
    const own = natsChannel({ url: 'nats://unused.invalid:4222', connection: admin });
    await own.deliver(batch(target(orgId), 1));
    await own.close();
    expect(admin.isClosed()).toBe(false);
    expect((await jsm.streams.info(streamName(orgId))).state.messages).toBe(1);
    // Pull consumers see the stream like any other (an explicit-ack durable, as a consumer would).
    await jsm.consumers.add(streamName(orgId), { durable_name: 'c', ack_policy: AckPolicy.Explicit });
    const m = await (await admin.jetstream().consumers.get(streamName(orgId), 'c')).next();
    expect(m?.subject).toBe(`huitong.${orgId}.330000-ABC-001`);
    m?.ack();
  });
});

describe('NATS channel, server unreachable', () => {
  it('fails retryably within a few seconds, and tries again at the next batch', async () => {
    // A port nothing listens on: bound, then released.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const channel = natsChannel({
      url: `nats://127.0.0.1:${port}`,
      connectTimeoutMs: 1_000,
      ackTimeoutMs: 1_000,
    });
    const started = Date.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await channel.deliver(batch(target(randomUUID()), 3)).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(ChannelError);
      expect(failed).toMatchObject({ code: 'nats_unavailable', retryable: true });
    }
    expect(Date.now() - started).toBeLessThan(3_000);
    await channel.close();
  });
});
