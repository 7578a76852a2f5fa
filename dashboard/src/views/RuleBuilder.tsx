import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import {
  COMPUTED_FIELDS, computedOperators, MAX_PROFILE_IDS, OPERATORS, profileIdsFromInput, Profiles, Rule, valueFromInput,
  valueToInput, withComputedField,
} from '../rule';
import { FieldError, invalid } from '../ui';

/**
 * Edits a rule tree: nested AND/OR groups, NOT, trait, computed, event, segment and profile-list
 * conditions. `pointer` is where this node sits in the request (`/rule/conditions/1`), so the
 * server's `invalid-rule` reasons show next to the node they name.
 */
export function RuleBuilder({ rule, onChange, pointer = '/rule', error }: {
  rule: Rule; onChange: (rule: Rule) => void; pointer?: string; error?: unknown;
}) {
  if (rule.type === 'and' || rule.type === 'or') return <RuleNode rule={rule} onChange={onChange} pointer={pointer} error={error} />;
  // a rule of one condition (a saved funnel drop-out list) can grow into a group around it
  return (
    <div className="row">
      <RuleNode rule={rule} onChange={onChange} pointer={pointer} error={error} />
      <button type="button" className="secondary" onClick={() => onChange({ type: 'and', conditions: [rule] })}
        title="Put this condition in an AND group to add more">+ Combine with more conditions</button>
    </div>
  );
}

function RuleNode({ rule, onChange, depth = 0, pointer, error }: {
  rule: Rule; onChange: (rule: Rule) => void; depth?: number; pointer: string; error?: unknown;
}) {
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
            <button type="button" className="secondary" onClick={() => onChange({ ...rule, conditions: [...rule.conditions, { type: 'profiles', profileIds: [] }] })}>+ Profiles</button>
            {depth < 3 && <button type="button" className="secondary" onClick={() => onChange({ ...rule, conditions: [...rule.conditions, { type: 'or', conditions: [{ type: 'trait', trait: 'plan', op: 'eq', value: '' }] }] })}>+ Group</button>}
          </div>
          {rule.conditions.map((condition, i) => (
            <div key={i} className="row">
              <RuleNode rule={condition} depth={depth + 1} pointer={`${pointer}/conditions/${i}`} error={error}
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
          <RuleNode rule={rule.condition} depth={depth} pointer={`${pointer}/condition`} error={error} onChange={(condition) => onChange({ ...rule, condition })} />
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
          <select aria-label="Computed field" value={rule.field} onChange={(e) => onChange(withComputedField(rule, e.target.value))}>
            {(COMPUTED_FIELDS.includes(rule.field) ? COMPUTED_FIELDS : [rule.field, ...COMPUTED_FIELDS]).map((f) => <option key={f}>{f}</option>)}
          </select>
          <Operator op={rule.op} ops={computedOperators(rule.field, rule.op)} onChange={(op) => onChange({ ...rule, op, value: valueFromInput(op, valueToInput(rule.value)) })} />
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
    case 'profiles':
      return <ProfileList rule={rule} onChange={onChange} pointer={pointer} error={error} />;
  }
}

/** A list of profile ids: the count, the ids one per line (commas work too) and the server's reasons next to them. */
export function ProfileList({ rule, onChange, pointer, error }: {
  rule: Profiles; onChange: (rule: Rule) => void; pointer: string; error?: unknown;
}) {
  const [text, setText] = useState(() => rule.profileIds.join('\n'));
  // a list changed from outside (another segment opened) replaces what is typed
  useEffect(() => {
    if (profileIdsFromInput(text).join('\n') !== rule.profileIds.join('\n')) setText(rule.profileIds.join('\n'));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rule.profileIds]);
  const at = `${pointer}/profileIds`;
  const id = `profiles-${pointer.replace(/\W+/g, '-')}`;
  const unique = new Set(rule.profileIds).size;
  const itemErrors = error instanceof ApiError
    ? (error.problem.errors ?? []).filter((e) => e.pointer.startsWith(`${at}/`))
    : [];
  return (
    <span className="profile-list" role="group" aria-label="Profile list">
      <span className="row">
        <strong>One of <span className="profile-count">{unique.toLocaleString()}</span> profile{unique === 1 ? '' : 's'}</strong>
        {unique !== rule.profileIds.length && <span className="muted">({rule.profileIds.length - unique} repeated)</span>}
        <span className="muted">1–{MAX_PROFILE_IDS.toLocaleString()} profile ids, one per line or comma-separated</span>
      </span>
      <textarea aria-label="Profile ids" rows={Math.min(8, Math.max(3, rule.profileIds.length))} cols={40} value={text}
        spellCheck={false} onChange={(e) => { setText(e.target.value); onChange({ type: 'profiles', profileIds: profileIdsFromInput(e.target.value) }); }}
        {...(itemErrors.length > 0 ? { 'aria-invalid': true, 'aria-describedby': `${id}-items-error` } : invalid(error, at, `${id}-error`))} />
      <FieldError error={error} pointer={at} id={`${id}-error`} />
      {itemErrors.length > 0 && (
        <span className="field-error" id={`${id}-items-error`} role="alert">
          {itemErrors.slice(0, 5).map((e) => {
            const n = Number(e.pointer.slice(at.length + 1).split('/')[0]);
            return <span key={e.pointer}>id {n + 1} (<code>{rule.profileIds[n] ?? ''}</code>): {e.reason}. </span>;
          })}
          {itemErrors.length > 5 && <span>and {itemErrors.length - 5} more.</span>}
        </span>
      )}
    </span>
  );
}

function Operator({ op, ops = OPERATORS, onChange }: { op: string; ops?: string[]; onChange: (op: string) => void }) {
  return (
    <select aria-label="Operator" value={op} onChange={(e) => onChange(e.target.value)}>
      {ops.map((o) => <option key={o}>{o}</option>)}
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
