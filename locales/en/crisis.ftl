# The crisis path (issue 16): asking how she may be reached after the danger screen or a critical
# SMS, saying honestly when nobody can reach her, her quick exit told to the counsellor, her note.
# Kept apart from helpline.ftl so that each file can be reviewed on its own.

## Survivor: the danger screen's question, one short screen
opt-reach = Can a counsellor contact you?
crisis-reach = Is it safe for a counsellor to contact you?
crisis-reach-call = Yes, a call
crisis-reach-sms-only = SMS only
crisis-reach-none = Neither
# Shown instead of "a counsellor will contact you" while no counsellor is on call.
crisis-unstaffed = No counsellor is on duty right now. In danger now? Call {$police} or {$police_alt} (free). Support: {$support}.

## Survivor: after a critical SMS, one message
crisis-reach-sms = In danger now? Call {$police} or {$police_alt} (free). May a counsellor contact you? Reply 1 a call is safe, 2 SMS is safe, 3 neither (no one will contact you; call {$support} when safe).
crisis-reach-sms-nobody = No counsellor is on duty right now. In danger now? Call {$police} or {$police_alt} (free). Support: {$support}. Later, may a counsellor contact you? Reply 1 a call is safe, 2 SMS is safe, 3 neither.
crisis-reach-sms-ok = Thank you. A counsellor will write to you here.
# The first SMS, when she cannot answer its sender (an alphanumeric sender without replies).
sms-neutral-first-to = Hello. Send 1 to {$number} to continue, or 00 to stop.

## Counsellors
not-asked = not asked
crisis-her-note = Case {$code}, her words: {$note}
crisis-she-left = Case {$code}: She left the conversation (quick exit). Do not contact her unless she writes again.
cmd-she-left = Not sent. Case {$code}: she left the conversation (quick exit). Do not contact her unless she writes again.
# A supervisor reassigned a case in the console: to the new holder, then to the one who had it.
case-given = A supervisor gave you case {$code}. Call: {$call}. SMS: {$sms}. Message her: {$code} your text. CALL {$code} for her number. CLOSE {$code} when done.
case-taken-from-you = A supervisor gave case {$code} to {$name}. It is no longer yours: do not contact her about it.
