/**
 * Ids that a careless implementation confuses with something else: the words the code uses
 * for outcomes (`aborted`, `tied`, `won`, `tie`) and the names every plain JavaScript object
 * already answers to (`__proto__`, `constructor`, `toString`, …). Each must behave exactly
 * like any other id wherever a client may choose one.
 */
export const oddIds = [
  'aborted',
  'tied',
  'tie',
  'won',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
] as const;

/** Another name every object answers to, never used as an id by the tests: "does not exist". */
export const absentOddId = 'propertyIsEnumerable';
