import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import {
  COMPUTED_FIELDS, computedOperators, MAX_PROFILE_IDS, OPERATORS, profileIdsFromInput, Profiles, Rule, valueFromInput,
  valueToInput, withComputedField,
} from '../rule';
import { FieldError, invalid } from '../ui';

/** The element id of a node's field (`rule-conditions-1-conditions-0-event`): stable, so reasons and tests find it. */
export function fieldId(pointer: string, field: string): string {
  return `${pointer.replace(/^\//, '').replace(/\//g, '-')}-${field}`;
}

/** The server's reason for a field or anything below it (`/count` holds `/count/value`). */
export function reasonUnder(error: unknown, at: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const { problem } = error;
  const under = (pointer?: string) => pointer === at || !!pointer?.startsWith(`${at}/`);
  if (under(problem.pointer)) return problem.detail ?? problem.title;
  return problem.errors?.find((e) => under(e.pointer))?.reason;
}

/** Props of a field a problem may point at (or below): its id, and aria-invalid with the reason's id when it does. */
function fieldProps(error: unknown, pointer: string, field: string) {
  const id = fieldId(pointer, field);
  return reasonUnder(error, `${pointer}/${field}`) ? { id, 'aria-invalid': true, 'aria-describedby': `${id}-error` } : { id };
}

/** The reason next to the field it names. */
function Reason({ error, pointer, field }: { error: unknown; pointer: string; field: string }) {
  const reason = reasonUnder(error, `${pointer}/${field}`);
  return reason ? <span className="field-error" id={`${fieldId(pointer, field)}-error`} role="alert">{reason}</span> : null;
}

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
        <div className="group" role="group" aria-label={`${rule.type.toUpperCase()} group`} data-pointer={pointer}>
          <div className="row">
            <select aria-label="Group match" id={fieldId(pointer, 'type')} value={rule.type} onChange={(e) => onChange({ ...rule, type: e.target.value as 'and' | 'or' })}>
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
        <span className="row" data-pointer={pointer}>
          <label>Trait <input aria-label="Trait key" value={rule.trait} size={12} {...fieldProps(error, pointer, 'trait')}
            onChange={(e) => onChange({ ...rule, trait: e.target.value })} /></label>
          <Reason error={error} pointer={pointer} field="trait" />
          <Operator op={rule.op} pointer={pointer} error={error} onChange={(op) => onChange({ ...rule, op, value: valueFromInput(op, valueToInput(rule.value)) })} />
          <Value op={rule.op} value={rule.value} pointer={pointer} error={error} onChange={(value) => onChange({ ...rule, value })} />
        </span>
      );
    case 'computed':
      return (
        <span className="row" data-pointer={pointer}>
          <select aria-label="Computed field" value={rule.field} {...fieldProps(error, pointer, 'field')} onChange={(e) => onChange(withComputedField(rule, e.target.value))}>
            {(COMPUTED_FIELDS.includes(rule.field) ? COMPUTED_FIELDS : [rule.field, ...COMPUTED_FIELDS]).map((f) => <option key={f}>{f}</option>)}
          </select>
          <Reason error={error} pointer={pointer} field="field" />
          <Operator op={rule.op} ops={computedOperators(rule.field, rule.op)} pointer={pointer} error={error} onChange={(op) => onChange({ ...rule, op, value: valueFromInput(op, valueToInput(rule.value)) })} />
          <Value op={rule.op} value={rule.value} pointer={pointer} error={error} onChange={(value) => onChange({ ...rule, value })} />
        </span>
      );
    case 'event':
      return (
        <span className="row" data-pointer={pointer}>
          <select aria-label="Performed" id={fieldId(pointer, 'performed')} value={rule.performed === false ? 'no' : 'yes'}
            onChange={(e) => onChange(e.target.value === 'no' ? { type: 'event', event: rule.event, eventType: rule.eventType, performed: false, window: rule.window }
              : { ...rule, performed: undefined, count: rule.count ?? { op: 'gte', value: 1 } })}>
            <option value="yes">Performed</option>
            <option value="no">Did not perform</option>
          </select>
          <input aria-label="Event name" value={rule.event ?? ''} size={16} {...fieldProps(error, pointer, 'event')} onChange={(e) => onChange({ ...rule, event: e.target.value })} />
          <Reason error={error} pointer={pointer} field="event" />
          {rule.performed !== false && rule.count && (
            <>
              <select aria-label="Count operator" id={fieldId(pointer, 'count-op')} value={rule.count.op} onChange={(e) => onChange({ ...rule, count: { ...rule.count!, op: e.target.value } })}>
                {['gte', 'lte', 'eq'].map((o) => <option key={o} value={o}>{{ gte: 'at least', lte: 'at most', eq: 'exactly' }[o]}</option>)}
              </select>
              <input aria-label="Times" type="number" min={0} value={Number(rule.count.value)} style={{ width: 64 }} {...fieldProps(error, pointer, 'count')}
                onChange={(e) => onChange({ ...rule, count: { ...rule.count!, value: Number(e.target.value) } })} /> times
              <Reason error={error} pointer={pointer} field="count" />
            </>
          )}
          {rule.aggregate && <span className="tag">{rule.aggregate.fn}({rule.aggregate.property}) {rule.aggregate.op} {String(rule.aggregate.value)}</span>}
          <label>in the last <input aria-label="Window in days" type="number" min={0} style={{ width: 64 }} value={rule.window?.withinLast?.amount ?? ''}
            {...fieldProps(error, pointer, 'window')}
            onChange={(e) => onChange({ ...rule, window: e.target.value ? { withinLast: { amount: Number(e.target.value), unit: 'days' } } : undefined })} /> days</label>
          <Reason error={error} pointer={pointer} field="window" />
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

function Operator({ op, ops = OPERATORS, pointer, error, onChange }: {
  op: string; ops?: string[]; pointer: string; error?: unknown; onChange: (op: string) => void;
}) {
  return (
    <>
      <select aria-label="Operator" value={op} {...fieldProps(error, pointer, 'op')} onChange={(e) => onChange(e.target.value)}>
        {ops.map((o) => <option key={o}>{o}</option>)}
      </select>
      <Reason error={error} pointer={pointer} field="op" />
    </>
  );
}

function Value({ op, value, pointer, error, onChange }: {
  op: string; value: unknown; pointer: string; error?: unknown; onChange: (value: unknown) => void;
}) {
  if (op === 'exists' || op === 'missing') return null;
  return (
    <>
      <input aria-label="Value" size={14} value={valueToInput(value)} {...fieldProps(error, pointer, 'value')}
        placeholder={op === 'withinLast' || op === 'moreThanAgo' ? 'days' : op === 'in' || op === 'between' ? 'a, b' : 'value'}
        onChange={(e) => onChange(valueFromInput(op, e.target.value))} />
      <Reason error={error} pointer={pointer} field="value" />
    </>
  );
}
