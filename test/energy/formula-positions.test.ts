import { describe, expect, it } from 'vitest';
import { NODE_PATTERNS, at, constantPattern, operatorPattern, positionOf } from '../../src/energy/forms/formula-positions.js';

// Positions counted by hand, 1-based.
describe('formula error positions', () => {
  it('finds calls, node syntax, word operators and bad constants', () => {
    expect(positionOf('a * foo(nIn)', 'foo')).toBe(5);
    expect(positionOf('food * foo (nIn)', 'foo')).toBe(8);
    expect(positionOf('a * nIn', 'foo')).toBe(0);
    expect(at('a ? b : c', NODE_PATTERNS.ConditionalNode)).toBe(' at character 3');
    expect(at('a = nIn', NODE_PATTERNS.AssignmentNode)).toBe(' at character 3');
    expect(at('band * nIn and c', operatorPattern('and'))).toBe(' at character 12');
    expect(at('a * nIn >= 3', operatorPattern('>='))).toBe(' at character 9');
    expect(at('a * 1e400', constantPattern(Infinity))).toBe(' at character 5');
    expect(at("a * 'x'", constantPattern('x'))).toBe(' at character 5');
    expect(at('a * true', constantPattern(true))).toBe(' at character 5');
    expect(at('a * nIn', undefined)).toBe('');
  });
});
