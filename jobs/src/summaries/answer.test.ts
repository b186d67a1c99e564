import { describe, expect, it } from 'vitest';
import { groundAnswer, summaryAnswerSchema } from './answer.ts';
import { InvalidSummaryError } from './errors.ts';

const ids = ['a1', 'a2', 'a3'];

describe('summaryAnswerSchema', () => {
  it('accepts a lead with cited bullets', () => {
    expect(summaryAnswerSchema.safeParse({ text: 'Lead.', bullets: [{ text: 'Point.', citations: ['a1'] }] }).success).toBe(true);
  });

  it('rejects a bullet without citations, no bullets, too many bullets and an over-long lead', () => {
    const bullet = { text: 'Point.', citations: ['a1'] };
    expect(summaryAnswerSchema.safeParse({ text: 'Lead.', bullets: [{ text: 'Point.', citations: [] }] }).success).toBe(false);
    expect(summaryAnswerSchema.safeParse({ text: 'Lead.', bullets: [] }).success).toBe(false);
    expect(summaryAnswerSchema.safeParse({ text: 'Lead.', bullets: Array.from({ length: 11 }, () => bullet) }).success).toBe(false);
    expect(summaryAnswerSchema.safeParse({ text: 'x'.repeat(1_201), bullets: [bullet] }).success).toBe(false);
    expect(summaryAnswerSchema.safeParse({ text: '', bullets: [bullet] }).success).toBe(false);
  });
});

describe('groundAnswer', () => {
  it('keeps a grounded answer, trimmed and with each citation once', () => {
    const grounded = groundAnswer({ text: '  Lead. ', bullets: [{ text: ' Point. ', citations: ['a2', 'a2', ' a1'] }] }, ids);
    expect(grounded).toEqual({ text: 'Lead.', bullets: [{ text: 'Point.', citations: ['a2', 'a1'] }] });
  });

  it('rejects a citation of an article that was not in the input', () => {
    const attempt = () => groundAnswer({ text: 'Lead.', bullets: [{ text: 'Point.', citations: ['a1', 'evil'] }] }, ids);
    expect(attempt).toThrow(InvalidSummaryError);
    expect(attempt).toThrow(expect.objectContaining({ reason: 'unknown-citation' }) as Error);
  });

  it('rejects a blank lead or a blank bullet', () => {
    expect(() => groundAnswer({ text: '   ', bullets: [{ text: 'Point.', citations: ['a1'] }] }, ids)).toThrow(
      expect.objectContaining({ reason: 'empty' }) as Error,
    );
    expect(() => groundAnswer({ text: 'Lead.', bullets: [{ text: ' ', citations: ['a1'] }] }, ids)).toThrow(
      expect.objectContaining({ reason: 'empty' }) as Error,
    );
  });
});
