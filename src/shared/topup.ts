// The guided top-up: the steps of adding credit on the OpenAI platform, the state of the stepper
// that walks through them, and the amount to suggest. Pure (no DOM, no Node), so the top-up window
// and main share it and tests pin it down without rendering anything.
import type { ExternalPage } from './ipc'

/** OpenAI's smallest credit purchase, in dollars. */
export const OPENAI_MINIMUM_TOP_UP = 5
/** Purchased credit expires this long after the purchase (OpenAI help centre). */
export const CREDIT_EXPIRY_MONTHS = 12
/**
 * What to suggest when nothing was spent lately: there is no rate to scale, and the minimum
 * would be gone after a few larger requests. $20 is a small first purchase that covers a
 * month of light use.
 */
export const NO_SPEND_SUGGESTION = 20
/** The three presets: a week, a month, a quarter. */
export const PRESET_DAYS = [7, 30, 90] as const
/** The default preset (and the prefilled amount): a month. */
export const DEFAULT_PRESET_DAYS = 30

export type TopUpStepId =
  'login' | 'settings' | 'billing' | 'add' | 'amount' | 'confirm' | 'autoRecharge' | 'record'

export interface TopUpStep {
  id: TopUpStepId
  /** Short, for the progress indicator and the heading. */
  title: string
  /** What to do, in a sentence or two. `**Label**` marks the words shown on OpenAI's buttons. */
  body: string
  /** The page the step's Open button opens in the browser; null when there is nothing to open. */
  page: ExternalPage | null
  /** The Open button's text (names the page, so a screen reader knows where it goes). */
  openLabel: string | null
  /** A second page for a branch of the step (no payment method yet: the payment methods page). */
  alternative: { page: ExternalPage; label: string } | null
  optional: boolean
}

/**
 * The steps, in order. The texts follow the billing pages as they are laid out today; the Open
 * buttons deep-link, so a changed menu costs the user one click, not the way.
 */
export const TOP_UP_STEPS: readonly TopUpStep[] = [
  {
    id: 'login',
    title: 'Log in',
    body: 'Log in to the OpenAI platform with the account that owns your organization’s billing.',
    page: 'login',
    openLabel: 'Open the login page',
    alternative: null,
    optional: false
  },
  {
    id: 'settings',
    title: 'Open Settings',
    body: 'Click **Settings** (the gear icon, top right) to see your organization’s settings.',
    page: 'settings',
    openLabel: 'Open Settings',
    alternative: null,
    optional: false
  },
  {
    id: 'billing',
    title: 'Open Billing',
    body: 'In the menu on the left, choose **Billing**. The overview shows your credit balance.',
    page: 'billing',
    openLabel: 'Open Billing',
    alternative: null,
    optional: false
  },
  {
    id: 'add',
    title: 'Add to credit balance',
    body:
      'Click **Add to credit balance**. No payment method yet? The button says ' +
      '**Add payment details** instead: add a card first, then come back to this step.',
    page: 'billing',
    openLabel: 'Open Billing',
    alternative: { page: 'paymentMethods', label: 'Open Payment methods' },
    optional: false
  },
  {
    id: 'amount',
    title: 'Amount and payment',
    body: 'Enter the **amount**, pick a **payment method**, then click **Continue**.',
    page: 'billing',
    openLabel: 'Open Billing',
    alternative: null,
    optional: false
  },
  {
    id: 'confirm',
    title: 'Confirm payment',
    body: 'Check the summary and click **Confirm payment**. The new credit shows on the overview within a minute or so.',
    page: 'billing',
    openLabel: 'Open Billing',
    alternative: null,
    optional: false
  },
  {
    id: 'autoRecharge',
    title: 'Auto-recharge (optional)',
    body:
      'To never run dry, turn on **Auto-recharge** on the billing overview: when the balance ' +
      'falls below a threshold you choose, OpenAI buys more credit with your saved card.',
    page: 'billing',
    openLabel: 'Open Billing',
    alternative: null,
    optional: true
  },
  {
    id: 'record',
    title: 'Tell Credit Tray',
    body:
      'Credit Tray cannot read your balance from OpenAI, so tell it what changed. ' +
      'Its estimate updates at once.',
    page: null,
    openLabel: null,
    alternative: null,
    optional: false
  }
]

export const STEP_COUNT = TOP_UP_STEPS.length
/** The step where the user picks an amount (the suggestion is shown there). */
export const AMOUNT_STEP_INDEX = TOP_UP_STEPS.findIndex((s) => s.id === 'amount')
/** Where "Skip to billing" lands: the billing page is open, the next click is "Add to credit balance". */
export const SKIP_TO_BILLING_INDEX = TOP_UP_STEPS.findIndex((s) => s.id === 'add')
export const RECORD_STEP_INDEX = TOP_UP_STEPS.findIndex((s) => s.id === 'record')

/** A piece of a step body: plain text, or a label shown on OpenAI's page (rendered bold). */
export type BodyPart = { text: string; label: boolean }

/** Split a body at its `**Label**` marks. */
export function bodyParts(body: string): BodyPart[] {
  return body
    .split(/\*\*(.+?)\*\*/)
    .map((text, i) => ({ text, label: i % 2 === 1 }))
    .filter((part) => part.text !== '')
}

// ---------------------------------------------------------------------------------------------
// The suggested amount

export interface TopUpSuggestion {
  /** Whole dollars, never below the minimum. */
  amount: number
  /** The period asked for. */
  days: number
  /**
   * `burnRate`: burn rate × days, rounded up. `minimum`: that came out below OpenAI's minimum,
   * so the minimum is suggested. `noSpend`: no burn rate to go by, a fixed default.
   */
  basis: 'burnRate' | 'minimum' | 'noSpend'
  /** How many days `amount` lasts at the burn rate; null without one. */
  lastsDays: number | null
}

/**
 * How much credit lasts `days` at `burnRatePerDay`: rounded up to whole dollars (a suggestion
 * that falls a few cents short is a bad suggestion), never below `minimum`. Without a burn rate
 * (none spent lately, or no data) there is nothing to scale: a fixed default, said so.
 */
export function suggestTopUp(
  burnRatePerDay: number,
  days: number,
  minimum: number = OPENAI_MINIMUM_TOP_UP
): TopUpSuggestion {
  const floor = Math.ceil(minimum)
  if (!Number.isFinite(burnRatePerDay) || burnRatePerDay <= 0) {
    return {
      amount: Math.max(floor, NO_SPEND_SUGGESTION),
      days,
      basis: 'noSpend',
      lastsDays: null
    }
  }
  // Round to cents before rounding up: 3.4 × 30 is 102.00000000000001 in floating point.
  const needed = Math.ceil(Math.round(burnRatePerDay * days * 100) / 100)
  const amount = Math.max(needed, floor)
  return {
    amount,
    days,
    basis: needed < floor ? 'minimum' : 'burnRate',
    lastsDays: amount / burnRatePerDay
  }
}

/**
 * One suggestion per preset period (a week, a month, a quarter). Empty without a burn rate:
 * "lasts 7 days" means nothing then, and suggestTopUp's default is shown instead.
 */
export function topUpPresets(
  burnRatePerDay: number,
  minimum: number = OPENAI_MINIMUM_TOP_UP
): TopUpSuggestion[] {
  if (!Number.isFinite(burnRatePerDay) || burnRatePerDay <= 0) return []
  return PRESET_DAYS.map((days) => suggestTopUp(burnRatePerDay, days, minimum))
}

// ---------------------------------------------------------------------------------------------
// The stepper

/** What the user records at the end: the amount added, or the balance the page shows now. */
export type RecordMode = 'topUp' | 'balance'

export interface TopUpState {
  /** Index into TOP_UP_STEPS. */
  index: number
  /** Steps the user went past with Next (or skipped over), in step order. */
  completed: readonly TopUpStepId[]
  /** The amount the user picked on the amount step; null until they pick one. */
  chosenAmount: number | null
  recordMode: RecordMode
  /** Set once the top-up or balance was recorded: the flow is finished. */
  recorded: boolean
}

export type TopUpAction =
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'jump'; index: number }
  | { type: 'skipToBilling' }
  | { type: 'chooseAmount'; amount: number }
  | { type: 'setRecordMode'; mode: RecordMode }
  | { type: 'recorded' }

export function initialTopUpState(
  options: { recordMode?: RecordMode; index?: number } = {}
): TopUpState {
  return {
    index: clampIndex(options.index ?? 0),
    completed: [],
    chosenAmount: null,
    recordMode: options.recordMode ?? 'topUp',
    recorded: false
  }
}

function clampIndex(index: number): number {
  if (!Number.isInteger(index)) return 0
  return Math.min(Math.max(index, 0), STEP_COUNT - 1)
}

/** `completed` plus `ids`, kept in step order without duplicates. */
function withCompleted(completed: readonly TopUpStepId[], ids: TopUpStepId[]): TopUpStepId[] {
  const set = new Set([...completed, ...ids])
  return TOP_UP_STEPS.map((s) => s.id).filter((id) => set.has(id))
}

export function topUpReducer(state: TopUpState, action: TopUpAction): TopUpState {
  // Once recorded, the flow is over: nothing moves it back (a second record would count twice).
  if (state.recorded) return state
  switch (action.type) {
    case 'next': {
      if (state.index >= STEP_COUNT - 1) return state
      const step = TOP_UP_STEPS[state.index]
      return {
        ...state,
        index: state.index + 1,
        completed: step ? withCompleted(state.completed, [step.id]) : state.completed
      }
    }
    case 'back':
      return state.index === 0 ? state : { ...state, index: state.index - 1 }
    case 'jump': {
      const index = clampIndex(action.index)
      return index === state.index ? state : { ...state, index }
    }
    case 'skipToBilling': {
      // The billing page is open: logging in and finding Billing are behind the user.
      const passed = TOP_UP_STEPS.slice(0, SKIP_TO_BILLING_INDEX).map((s) => s.id)
      return {
        ...state,
        index: SKIP_TO_BILLING_INDEX,
        completed: withCompleted(state.completed, passed)
      }
    }
    case 'chooseAmount':
      if (!Number.isFinite(action.amount) || action.amount <= 0) return state
      return { ...state, chosenAmount: action.amount }
    case 'setRecordMode':
      return state.recordMode === action.mode ? state : { ...state, recordMode: action.mode }
    case 'recorded':
      return {
        ...state,
        index: STEP_COUNT - 1,
        completed: TOP_UP_STEPS.map((s) => s.id),
        recorded: true
      }
  }
}

/** Progress as a share of steps completed, 0…1 (the optional step counts like the others). */
export function topUpProgress(state: TopUpState): number {
  return state.completed.length / STEP_COUNT
}
