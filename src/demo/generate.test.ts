import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasValidCreditCodeCheck, hasValidResidentIdCheck } from '../privacy/index.js';
import { RESOURCES } from './catalog/index.js';
import { generateDemoData } from './dataset.js';
import { ageOn } from './dates.js';
import { ORGANIZATIONS } from './members.js';
import { DISTRICTS } from './places.js';
import { PROFILES, REFERENCE_DATE } from './profiles.js';
import { findShellCompanies, findWelfareAnomalies } from './reference-analysis.js';
import { tableCsv } from './write-files.js';

const data = generateDemoData(PROFILES.small);
const table = (name: string) => data.tables.find((t) => t.name === name)!;
const rows = (name: string) => {
  const t = table(name);
  return t.rows.map(
    (r) =>
      Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]])) as Record<string, string | number | null>,
  );
};
const digest = (d: typeof data) =>
  createHash('sha256').update(d.tables.map(tableCsv).join('\u0000')).digest('hex');

describe('demo data', () => {
  it('is the same bytes from the same seed, and different from another seed', () => {
    expect(digest(generateDemoData(PROFILES.small))).toBe(digest(data));
    expect(digest(generateDemoData({ ...PROFILES.small, seed: 1 }))).not.toBe(digest(data));
  });

  it('gives every row one value per column', () => {
    for (const t of data.tables) for (const r of t.rows) expect(r.length, t.name).toBe(t.columns.length);
  });

  it('has the profile’s sizes and twelve months of readings', () => {
    expect(table('population').rows).toHaveLength(PROFILES.small.people);
    expect(table('enterprises').rows).toHaveLength(PROFILES.small.enterprises);
    const months = new Set(rows('power_readings').map((r) => r.month));
    expect(months.size).toBe(12);
  });

  it('gives valid, unique ID numbers from the province’s districts whose birth dates fit the ages', () => {
    const districts = new Set(DISTRICTS.map((d) => d.code));
    const seen = new Set<string>();
    for (const p of rows('population')) {
      const id = String(p.id_number);
      expect(hasValidResidentIdCheck(id), id).toBe(true);
      expect(districts.has(id.slice(0, 6))).toBe(true);
      expect(id.slice(6, 14)).toBe(String(p.birth_date).replaceAll('-', ''));
      expect(ageOn(String(p.birth_date), REFERENCE_DATE)).toBe(p.age);
      expect(Number(id[16]) % 2 === 1 ? '男' : '女').toBe(p.sex);
      const masked = id.slice(0, 6) + id.slice(14);
      expect(seen.has(id) || seen.has(masked)).toBe(false);
      seen.add(id).add(masked);
    }
  });

  it('gives valid credit codes to enterprises and members', () => {
    for (const e of rows('enterprises')) expect(hasValidCreditCodeCheck(String(e.credit_code))).toBe(true);
    for (const o of ORGANIZATIONS) expect(hasValidCreditCodeCheck(o.creditCode)).toBe(true);
  });

  it('uses more power in larger enterprises of the same industry', () => {
    const size = new Map(rows('enterprises').map((e) => [e.credit_code, e.size]));
    const mean = (s: string) => {
      const kwh = rows('power_readings').filter(
        (r) => size.get(r.credit_code) === s && r.industry_code === 'C',
      );
      return kwh.reduce((a, r) => a + Number(r.kwh), 0) / Math.max(1, kwh.length);
    };
    expect(mean('小型')).toBeGreaterThan(mean('微型') * 3);
  });

  it('plants shell companies that the reference analysis finds exactly', () => {
    expect(data.planted.shellCompanies).toHaveLength(PROFILES.small.shellCompanies);
    expect(findShellCompanies(rows('enterprises'), rows('power_readings'))).toEqual(
      data.planted.shellCompanies,
    );
  });

  it('plants 低保 anomalies that the reference cross-check finds exactly', () => {
    expect(data.planted.welfareAnomalies).toHaveLength(PROFILES.small.welfareAnomalies);
    const found = findWelfareAnomalies(
      rows('subsistence_members'),
      rows('enterprises'),
      rows('social_insurance'),
    );
    expect(found).toEqual([...new Set(data.planted.welfareAnomalies.map((a) => a.certificate))].sort());
  });

  it('catalogs 30 to 60 resources, each from a member, every table bound at least once', () => {
    expect(RESOURCES.length).toBeGreaterThanOrEqual(30);
    expect(RESOURCES.length).toBeLessThanOrEqual(60);
    const keys = new Set(['sjj', ...ORGANIZATIONS.map((o) => o.key)]);
    for (const r of RESOURCES) expect(keys.has(r.provider), r.entry.name).toBe(true);
    const bound = new Set(RESOURCES.map((r) => r.table));
    for (const t of data.tables) expect(bound.has(t.name), t.name).toBe(true);
  });
});
