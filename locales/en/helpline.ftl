# English. Numbers come from the helpline's [contacts] in salama.toml:
# $police, $support (GBV line), $child, $cyber (cybercrime report), $data (data-protection complaints).
# Advice follows reference/content.md: safety first, never blame, never promise what police will do.

## Engine: shown on every screen
language-name = English
choose-language = Choose language
nav-more = 98 More
nav-footer = 0 Back 00 Exit
sms-footer = Reply with a number. 0: back. 00: stop.
sms-neutral-first = Hello. Reply 1 to continue, or 00 to stop.
hint-invalid = Not understood, try again
# Neutral on purpose: someone may be looking at the screen.
quick-exit = Thank you. Goodbye.
service-unavailable = Sorry, please try again later. In danger now? Call {$police} (free). Support: {$support}.

## Main menu
main-title = How can we help? You are not alone.
main-danger = I am in danger now
main-images = Intimate images shared or threatened
main-tracked = My phone or accounts are tracked
main-posted = My personal info was posted
main-threats = Threats or harassment
main-fake = Fake or AI-made images of me
main-counsellor = Talk to a counsellor
main-language = Language / Lugha
main-exit = Exit

## Options used on several screens
opt-counsellor = Talk to a counsellor
opt-danger-signs = Signs of high danger
opt-evidence = Save evidence
opt-remove = Get images removed
opt-signs = Signs of tracking
opt-plan = Staying safe
opt-more = More steps
yes = Yes
no = No

## I am in danger now
danger-now = In danger now? Call {$police} (free). Go to a safe place or person if you can. When safe, call {$support} (free, 24h) to plan your safety.
danger-signs = Threats to kill, choking, weapons or stalking mean HIGH danger. It is not your fault. Leaving or confronting him can raise the danger: plan first with {$support}. If your phone may be watched, call from another phone.

## Intimate images shared or threatened
images-intro = It is not your fault. Do not pay and do not send more. Stop replying, but do not delete the chat: it is evidence.
images-evidence = Save proof: screenshot the messages, the username or number, the link and the date. Never forward the photo itself, not even to report it. Keep your notes somewhere private.
images-remove = Report the image and the account to the app. 18+ in the image? StopNCII.org makes a code on your own device; the photo is never uploaded, and partner apps block copies. Under 18: TakeItDown.ncmec.org. Neither works inside WhatsApp chats.

## Phone or accounts tracked
tracked-intro = If he knows where you go or what you say, he may be tracking your phone. Do not delete apps or reset the phone yet: it can alert him. Make a safety plan first.
tracked-signs = Most tracking is shared accounts, location sharing or him checking your phone. Signs of spy apps: battery drains fast, phone hot when idle, unknown apps, changed settings, he had your phone.
tracked-plan = Seek help from a phone he has never touched. Keep using your phone as usual so nothing looks different. Check linked devices and location sharing only when it is safe. Plan with {$support}.

## Personal information posted
posted-intro = Address or number posted? Screenshot it with the link and date, then report it to the app. Tell the people you live with. If you are threatened, call {$police}.
posted-more = Do not reply to the crowd or post about them. Warn family and work that they may be contacted. Google can remove results that show your number or address. Complaints about personal data: {$data}.

## Threats or harassment
threats-intro = Do not reply or argue. Screenshot each message with the name, date and link, then block and report the account. Threats to harm you are serious and can be a crime: report to police or {$cyber}.

## Fake or AI-made images
fake-intro = A fake sexual image of you is still abuse, and it is not your fault. Screenshot the link, date and account, and report it to the app. Do not share it to show it is fake.
fake-remove = 18+? StopNCII.org may block copies of a fake image you have on your device; the image never leaves it. It cannot find new fakes. If the person shown is under 18, do not keep it: report the link and call {$child}.

## Talk to a counsellor: safe contact first
talk-call = Is it safe for a counsellor to call you on this number?
talk-when = When is it safe to call you?
time-morning = Morning (8am-12)
time-afternoon = Afternoon (12-5pm)
time-evening = Evening (5-9pm)
time-any = Any time
talk-note = In a few words, what is happening? Send 1 to skip.
talk-consent = May we use anonymous information about your request to improve this service? Nothing that names you.
talk-sms = Is it safe to send you SMS on this number? Messages stay on the phone.
talk-done = Thank you. A counsellor will contact you only in the way you chose. In danger now? Call {$police}.
talk-no-contact = We will not contact you. When you can, call {$support} (free) from a safe phone. In danger now? Call {$police}.

## Escalation: pages and answers to counsellors (SMS)
page = SALAMA case {$code}: {$urgency} {$category}, language {$lang}. Call: {$call}. SMS: {$sms}. Reply ACK {$code} to take it.
page-unanswered = SALAMA case {$code} UNANSWERED: {$urgency} {$category}, language {$lang}. Reply ACK {$code} to take it.
cmd-acked = Case {$code} is yours. Call: {$call}. SMS: {$sms}. Message her: {$code} your text. CALL {$code} for her number. CLOSE {$code} when done.
cmd-taken = Case {$code} is already taken by {$name}.
cmd-no-case = No open case {$code}.
cmd-no-pending = No page is waiting for you: send ACK with the case code.
cmd-not-yours = Case {$code} is not yours: send ACK {$code} first.
cmd-sms-unsafe = She said SMS is not safe: nothing was sent.
cmd-relayed = Sent to {$code}.
cmd-call = Case {$code}: her number is {$number}. Safe time: {$time}.
cmd-call-unsafe = Case {$code}: she said a call is not safe. Do not call.
cmd-call-outside = Case {$code}: she said calls are safe only {$time}. It is not that time now.
cmd-passed = Case {$code} passed to the next level.
cmd-closed = Case {$code} closed.
cmd-who = On call: {$names}.
cmd-help = ACK code: take a case. code text: message her. CALL code: her number. PASS code. CLOSE code outcome. WHO: who is on call.
relay-from-survivor = {$code}: {$text}
triage-critical = If you are in danger now, call {$police} (free). We are alerting a counsellor.
case-unanswered = We could not reach a counsellor yet. In danger now? Call {$police} (free). Support: {$support}.
