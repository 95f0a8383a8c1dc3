import fc from 'fast-check';

/** Any string, including lone surrogates, NUL and other control characters. */
export const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff x', '\u202e', '<!channel>', ''),
);
