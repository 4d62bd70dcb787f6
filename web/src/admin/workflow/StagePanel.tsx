// One stage's panel: what it is called, its key, who owns it, what they do next, when it stalls, what the
// customer sees, which fields must be filled before leaving it, and what happens on arrival.
import { ROLES, type Role } from '../../api/types.ts';
import { ROLE_NAMES } from '../../auth/roles.ts';
import { Field } from '../../ui/Field.tsx';
import type { FieldDraft, StageDraft } from './draft.ts';
import { FieldPicker } from './FieldPicker.tsx';

/** A stage's kept properties with customer approval on, or off together with the choices that go with it. */
function withApproval(rest: Record<string, unknown>, on: boolean): Record<string, unknown> {
  const { customerApproval: _a, proofField: _p, changesReturnTo: _c, ...others } = rest;
  return on ? { ...others, customerApproval: true } : others;
}

function withOption(
  rest: Record<string, unknown>,
  key: 'proofField' | 'changesReturnTo',
  value: string,
): Record<string, unknown> {
  const { [key]: _old, ...others } = rest;
  return value ? { ...others, [key]: value } : others;
}

export function StagePanel({
  stage,
  place,
  earlier,
  last,
  fields,
  errors,
  onChange,
  onLabel,
  onKey,
  onRemove,
}: {
  stage: StageDraft;
  place: number;
  /** The stages before this one: "Request changes" may send an order back to one of them. */
  earlier: StageDraft[];
  last: boolean;
  fields: FieldDraft[];
  /** This stage's problems, by member. */
  errors: Record<string, string>;
  onChange: (change: Partial<StageDraft>) => void;
  onLabel: (label: string) => void;
  onKey: (key: string) => void;
  onRemove: () => void;
}) {
  const s = stage;
  const renamed = s.saved && s.label.trim() !== s.saved.label;
  return (
    <section className="panel wf-stage-panel" data-stage-editor={s.key} aria-labelledby={`stage-panel-${s.id}`}>
      <div className="panel-header">
        <h3 id={`stage-panel-${s.id}`}>
          Stage {place}: {s.label || 'New stage'}
        </h3>
        <button type="button" className="button small danger" onClick={onRemove} data-action="remove-stage">
          Remove stage
        </button>
      </div>
      <div className="form-grid two">
        <Field label="Label" error={errors.label} required>
          {(p) => <input {...p} value={s.label} onChange={(e) => onLabel(e.target.value)} />}
        </Field>
        <Field
          label="Key"
          error={errors.key}
          hint={
            s.saved
              ? renamed
                ? `Renamed from “${s.saved.label}”: the key stays ${s.saved.key}, because orders, reports and integrations refer to it.`
                : 'Orders and integrations refer to it: it stays as it is.'
              : s.keyTyped
                ? 'Used by orders, reports and the API.'
                : 'Made from the label; type to choose another.'
          }
          required
        >
          {(p) => (
            <input {...p} value={s.key} readOnly={Boolean(s.saved)} data-stage-key onChange={(e) => onKey(e.target.value)} />
          )}
        </Field>
        <Field label="Owner role" error={errors.ownerRole}>
          {(p) => (
            <select {...p} value={s.ownerRole} onChange={(e) => onChange({ ownerRole: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_NAMES[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Next action" error={errors.nextAction} required>
          {(p) => <input {...p} value={s.nextAction} onChange={(e) => onChange({ nextAction: e.target.value })} />}
        </Field>
        <Field label="Stalled after (hours)" error={errors.stallAfterHours} hint="Empty: it never counts as stalled">
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={s.stallAfterHours}
              onChange={(e) => onChange({ stallAfterHours: e.target.value })}
            />
          )}
        </Field>
        <Field label="Stall clock" error={errors.stallHoursBasis}>
          {(p) => (
            <select
              {...p}
              value={s.stallHoursBasis}
              onChange={(e) => onChange({ stallHoursBasis: e.target.value as StageDraft['stallHoursBasis'] })}
            >
              <option value="">Default (working hours)</option>
              <option value="working">Working hours</option>
              <option value="calendar">Calendar hours</option>
            </select>
          )}
        </Field>
        <Field label="Customer sees" error={errors.customerLabel} hint="On the tracking page and in e-mails">
          {(p) => <input {...p} value={s.customerLabel} onChange={(e) => onChange({ customerLabel: e.target.value })} />}
        </Field>
        <Field label="WIP limit" error={errors.wipLimit}>
          {(p) => (
            <input {...p} inputMode="numeric" value={s.wipLimit} onChange={(e) => onChange({ wipLimit: e.target.value })} />
          )}
        </Field>
      </div>
      <FieldPicker
        label="Must be filled before leaving"
        fields={fields}
        chosen={s.requires}
        error={errors.requires}
        onChange={(requires) => onChange({ requires })}
      />
      <div className="wf-flags">
        <label className="check">
          <input type="checkbox" checked={s.notifyCustomer} onChange={(e) => onChange({ notifyCustomer: e.target.checked })} />
          E-mail the customer on arrival
        </label>
        <label className="check">
          <input type="checkbox" checked={s.invoiceTrigger} onChange={(e) => onChange({ invoiceTrigger: e.target.checked })} />
          Ready to invoice on arrival
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={s.rest.customerApproval === true}
            disabled={last}
            onChange={(e) => onChange({ rest: withApproval(s.rest, e.target.checked) })}
            data-control="customer-approval"
          />
          Customer approves on the tracking page
        </label>
      </div>
      {errors.customerApproval && <p className="field-error">{errors.customerApproval}</p>}
      {s.rest.customerApproval === true && (
        <div className="form-grid wf-approval">
          <Field label="Proof link field" error={errors.proofField}>
            {(p) => (
              <select
                {...p}
                value={String(s.rest.proofField ?? '')}
                onChange={(e) => onChange({ rest: withOption(s.rest, 'proofField', e.target.value) })}
              >
                <option value="">None</option>
                {fields
                  .filter((f) => f.type === 'url' && f.visibleTo.length === 0)
                  .map((f) => (
                    <option key={f.id} value={f.key}>
                      {f.label || f.key}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <Field label="“Request changes” sends it back to" error={errors.changesReturnTo}>
            {(p) => (
              <select
                {...p}
                value={String(s.rest.changesReturnTo ?? '')}
                onChange={(e) => onChange({ rest: withOption(s.rest, 'changesReturnTo', e.target.value) })}
              >
                <option value="">The stage before</option>
                {earlier.map((x) => (
                  <option key={x.id} value={x.key}>
                    {x.label || x.key}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
    </section>
  );
}
