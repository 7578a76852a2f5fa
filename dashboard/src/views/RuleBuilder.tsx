import { COMPUTED_FIELDS, OPERATORS, Rule, valueFromInput, valueToInput } from '../rule';

/** Edits a rule tree: nested AND/OR groups, NOT, trait, computed, event and segment conditions. */
export function RuleBuilder({ rule, onChange, depth = 0 }: { rule: Rule; onChange: (rule: Rule) => void; depth?: number }) {
  switch (rule.type) {
    case 'and':
    case 'or':
      return (
        <div className="group" role="group" aria-label={`${rule.type.toUpperCase()} group`}>
          <div className="row">
            <select aria-label="Group match" value={rule.type} onChange={(e) => onChange({ ...rule, type: e.target.value as 'and' | 'or' })}>
              <option value="and">All of (AND)</option>
              <option value="or">Any of (OR)</option>
            </select>
            <button type="button" className="secondary" onClick={() => onChange({ ...rule, conditions: [...rule.conditions, { type: 'trait', trait: 'country', op: 'eq', value: '' }] })}>+ Trait</button>
            <button type="button" className="secondary" onClick={() => onChange({ ...rule, conditions: [...rule.conditions, { type: 'computed', field: 'eventCount', op: 'gte', value: 1 }] })}>+ Computed</button>
            <button type="button" className="secondary" onClick={() => onChange({ ...rule, conditions: [...rule.conditions, { type: 'event', event: 'Order Completed', count: { op: 'gte', value: 1 } }] })}>+ Event</button>
            {depth < 3 && <button type="button" className="secondary" onClick={() => onChange({ ...rule, conditions: [...rule.conditions, { type: 'or', conditions: [{ type: 'trait', trait: 'plan', op: 'eq', value: '' }] }] })}>+ Group</button>}
          </div>
          {rule.conditions.map((condition, i) => (
            <div key={i} className="row">
              <RuleBuilder rule={condition} depth={depth + 1}
                onChange={(changed) => onChange({ ...rule, conditions: rule.conditions.map((c, j) => (j === i ? changed : c)) })} />
              <button type="button" className="secondary" aria-label="Negate condition" onClick={() => onChange({ ...rule, conditions: rule.conditions.map((c, j) => (j === i ? { type: 'not', condition: c } : c)) })}>NOT</button>
              <button type="button" className="secondary" aria-label="Remove condition" disabled={rule.conditions.length === 1}
                onClick={() => onChange({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) })}>✕</button>
            </div>
          ))}
        </div>
      );
    case 'not':
      return (
        <div className="row">
          <button type="button" className="secondary" title="Remove NOT" onClick={() => onChange(rule.condition)}>NOT</button>
          <RuleBuilder rule={rule.condition} depth={depth} onChange={(condition) => onChange({ ...rule, condition })} />
        </div>
      );
    case 'trait':
      return (
        <span className="row">
          <label>Trait <input aria-label="Trait key" value={rule.trait} size={12} onChange={(e) => onChange({ ...rule, trait: e.target.value })} /></label>
          <Operator op={rule.op} onChange={(op) => onChange({ ...rule, op, value: valueFromInput(op, valueToInput(rule.value)) })} />
          <Value op={rule.op} value={rule.value} onChange={(value) => onChange({ ...rule, value })} />
        </span>
      );
    case 'computed':
      return (
        <span className="row">
          <select aria-label="Computed field" value={rule.field} onChange={(e) => onChange({ ...rule, field: e.target.value })}>
            {COMPUTED_FIELDS.map((f) => <option key={f}>{f}</option>)}
          </select>
          <Operator op={rule.op} onChange={(op) => onChange({ ...rule, op, value: valueFromInput(op, valueToInput(rule.value)) })} />
          <Value op={rule.op} value={rule.value} onChange={(value) => onChange({ ...rule, value })} />
        </span>
      );
    case 'event':
      return (
        <span className="row">
          <select aria-label="Performed" value={rule.performed === false ? 'no' : 'yes'}
            onChange={(e) => onChange(e.target.value === 'no' ? { type: 'event', event: rule.event, eventType: rule.eventType, performed: false, window: rule.window }
              : { ...rule, performed: undefined, count: rule.count ?? { op: 'gte', value: 1 } })}>
            <option value="yes">Performed</option>
            <option value="no">Did not perform</option>
          </select>
          <input aria-label="Event name" value={rule.event ?? ''} size={16} onChange={(e) => onChange({ ...rule, event: e.target.value })} />
          {rule.performed !== false && rule.count && (
            <>
              <select aria-label="Count operator" value={rule.count.op} onChange={(e) => onChange({ ...rule, count: { ...rule.count!, op: e.target.value } })}>
                {['gte', 'lte', 'eq'].map((o) => <option key={o} value={o}>{{ gte: 'at least', lte: 'at most', eq: 'exactly' }[o]}</option>)}
              </select>
              <input aria-label="Times" type="number" min={0} value={Number(rule.count.value)} style={{ width: 64 }}
                onChange={(e) => onChange({ ...rule, count: { ...rule.count!, value: Number(e.target.value) } })} /> times
            </>
          )}
          {rule.aggregate && <span className="tag">{rule.aggregate.fn}({rule.aggregate.property}) {rule.aggregate.op} {String(rule.aggregate.value)}</span>}
          <label>in the last <input aria-label="Window in days" type="number" min={0} style={{ width: 64 }} value={rule.window?.withinLast?.amount ?? ''}
            onChange={(e) => onChange({ ...rule, window: e.target.value ? { withinLast: { amount: Number(e.target.value), unit: 'days' } } : undefined })} /> days</label>
        </span>
      );
    case 'segment':
      return <span className="tag">{rule.member === false ? 'not in' : 'in'} segment {rule.segmentId.slice(0, 8)}</span>;
  }
}

function Operator({ op, onChange }: { op: string; onChange: (op: string) => void }) {
  return (
    <select aria-label="Operator" value={op} onChange={(e) => onChange(e.target.value)}>
      {OPERATORS.map((o) => <option key={o}>{o}</option>)}
    </select>
  );
}

function Value({ op, value, onChange }: { op: string; value: unknown; onChange: (value: unknown) => void }) {
  if (op === 'exists' || op === 'missing') return null;
  return (
    <input aria-label="Value" size={14} value={valueToInput(value)}
      placeholder={op === 'withinLast' || op === 'moreThanAgo' ? 'days' : op === 'in' || op === 'between' ? 'a, b' : 'value'}
      onChange={(e) => onChange(valueFromInput(op, e.target.value))} />
  );
}
