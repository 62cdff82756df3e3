# Kiswahili. Nambari zinatoka kwenye [contacts] za salama.toml:
# $police, $support, $child, $cyber, $data.

## Engine: shown on every screen
language-name = Kiswahili
choose-language = Chagua lugha
nav-more = 98 Zaidi
nav-footer = 0 Rudi 00 Toka
sms-footer = Jibu kwa namba. 0: rudi. 00: acha.
sms-neutral-first = Habari. Jibu 1 kuendelea, au 00 kuacha.
hint-invalid = Sijaelewa, jaribu tena
quick-exit = Asante. Kwaheri.
service-unavailable = Samahani, jaribu tena baadaye. Uko hatarini sasa? Piga {$police} (bure). Msaada: {$support}.

## Main menu
main-title = Tukusaidie vipi? Hauko peke yako.
main-danger = Niko hatarini sasa
main-images = Picha zangu za faragha zimesambazwa au natishiwa
main-tracked = Simu au akaunti zangu zinafuatiliwa
main-posted = Taarifa zangu binafsi zimewekwa mtandaoni
main-threats = Vitisho au unyanyasaji
main-fake = Picha zangu bandia au za AI
main-counsellor = Ongea na mshauri
main-language = Lugha / Language
main-exit = Toka

## Options used on several screens
opt-counsellor = Ongea na mshauri
opt-danger-signs = Dalili za hatari kubwa
opt-evidence = Hifadhi ushahidi
opt-remove = Kuondoa picha
opt-signs = Dalili za kufuatiliwa
opt-plan = Kuwa salama
opt-more = Hatua zaidi
yes = Ndiyo
no = Hapana

## Niko hatarini sasa
danger-now = Uko hatarini sasa? Piga {$police} (bure). Nenda mahali salama au kwa mtu unayemwamini ukiweza. Ukiwa salama, piga {$support} (bure, saa 24) kupanga usalama wako.
danger-signs = Vitisho vya kuua, kunyongwa, silaha au kuandamwa ni hatari KUBWA. Si kosa lako. Kuondoka au kumkabili kunaweza kuongeza hatari: panga kwanza na {$support}. Kama simu yako inachunguzwa, piga kwa simu nyingine.

## Picha za faragha
images-intro = Si kosa lako. Usilipe na usitume picha zaidi. Acha kujibu, lakini usifute mazungumzo: ni ushahidi.
images-evidence = Hifadhi ushahidi: piga picha ya skrini ya jumbe, jina la mtumiaji au namba, kiungo na tarehe. Usitume picha yenyewe, hata kuiripoti. Weka kumbukumbu zako mahali pa siri.
images-remove = Ripoti picha na akaunti kwa programu husika. Ulikuwa na miaka 18+ kwenye picha? StopNCII.org hutengeneza msimbo kwenye simu yako; picha haipakiwi, na programu washirika huzuia nakala. Chini ya 18: TakeItDown.ncmec.org. Hazifanyi kazi ndani ya WhatsApp.

## Simu au akaunti zinafuatiliwa
tracked-intro = Kama anajua unakokwenda au unachosema, huenda anafuatilia simu yako. Usifute programu wala kuweka upya simu sasa: inaweza kumtahadharisha. Panga usalama wako kwanza.
tracked-signs = Mara nyingi ni akaunti za pamoja, kushiriki mahali ulipo au yeye kukagua simu yako. Dalili za programu za upelelezi: chaji inaisha haraka, simu ina joto bila kutumika, programu usizozijua, mipangilio imebadilika, alishika simu yako.
tracked-plan = Tafuta msaada kwa simu ambayo hajawahi kuigusa. Endelea kutumia simu yako kama kawaida ili kisionekane kitu tofauti. Angalia vifaa vilivyounganishwa na kushiriki mahali tu ikiwa ni salama. Panga na {$support}.

## Taarifa binafsi zimewekwa
posted-intro = Anwani au namba yako imewekwa? Piga picha ya skrini pamoja na kiungo na tarehe, kisha iripoti kwa programu. Waambie unaoishi nao. Ukitishiwa, piga {$police}.
posted-more = Usijibu umati wala kuandika kuwahusu. Waonye familia na kazini kwamba huenda wakatafutwa. Google inaweza kuondoa matokeo yanayoonyesha namba au anwani yako. Malalamiko kuhusu data binafsi: {$data}.

## Vitisho au unyanyasaji
threats-intro = Usijibu wala kubishana. Piga picha ya skrini ya kila ujumbe pamoja na jina, tarehe na kiungo, kisha zuia na uripoti akaunti. Vitisho vya kukudhuru ni hatari na vinaweza kuwa uhalifu: ripoti kwa polisi au {$cyber}.

## Picha bandia
fake-intro = Picha bandia ya ngono yako bado ni unyanyasaji, na si kosa lako. Piga picha ya skrini ya kiungo, tarehe na akaunti, na uiripoti kwa programu. Usiisambaze kuonyesha kwamba ni bandia.
fake-remove = Una miaka 18+? StopNCII.org inaweza kuzuia nakala za picha bandia uliyo nayo kwenye simu yako; picha haitoki humo. Haiwezi kupata picha bandia mpya. Aliye kwenye picha akiwa chini ya miaka 18, usiihifadhi: ripoti kiungo na upige {$child}.

## Ongea na mshauri: usalama wa mawasiliano kwanza
talk-call = Je, ni salama mshauri akupigie kwa namba hii?
talk-when = Ni wakati gani salama kukupigia?
time-morning = Asubuhi (saa 2-6)
time-afternoon = Mchana (saa 6-11)
time-evening = Jioni (saa 11-3 usiku)
time-any = Wakati wowote
talk-note = Kwa maneno machache, nini kinaendelea? Tuma 1 kuruka.
talk-consent = Tunaweza kutumia taarifa zisizokutaja kuhusu ombi lako kuboresha huduma hii?
talk-sms = Je, ni salama kukutumia SMS kwa namba hii? Jumbe hubaki kwenye simu.
talk-done = Asante. Mshauri atawasiliana nawe tu kwa njia uliyochagua. Uko hatarini sasa? Piga {$police}.
talk-no-contact = Hatutawasiliana nawe. Ukiweza, piga {$support} (bure) kwa simu salama. Uko hatarini sasa? Piga {$police}.

## Escalation: pages and answers to counsellors (SMS)
page = SALAMA kesi {$code}: {$urgency} {$category}, lugha {$lang}. Simu: {$call}. SMS: {$sms}. Jibu ACK {$code} kuichukua.
page-unanswered = SALAMA kesi {$code} HAIJAJIBIWA: {$urgency} {$category}, lugha {$lang}. Jibu ACK {$code} kuichukua.
cmd-acked = Kesi {$code} ni yako. Simu: {$call}. SMS: {$sms}. Mtumie ujumbe: {$code} maandishi yako. PIGA {$code} kupata namba yake. FUNGA {$code} ukimaliza.
cmd-taken = Kesi {$code} imeshachukuliwa na {$name}.
cmd-no-case = Hakuna kesi wazi {$code}.
cmd-no-pending = Hakuna kesi inayokusubiri: tuma ACK pamoja na namba ya kesi.
cmd-not-yours = Kesi {$code} si yako: tuma ACK {$code} kwanza.
cmd-sms-unsafe = Alisema SMS si salama: hakuna kilichotumwa.
cmd-relayed = Imetumwa kwa {$code}.
cmd-call = Kesi {$code}: namba yake ni {$number}. Wakati salama: {$time}.
cmd-call-unsafe = Kesi {$code}: alisema simu si salama. Usimpigie.
cmd-call-outside = Kesi {$code}: alisema simu ni salama tu {$time}. Sasa si wakati huo.
cmd-passed = Kesi {$code} imepelekwa ngazi inayofuata.
cmd-closed = Kesi {$code} imefungwa.
cmd-who = Walio zamu: {$names}.
cmd-help = ACK namba: chukua kesi. namba ujumbe: mtumie. PIGA namba: namba yake. PITISHA namba. FUNGA namba matokeo. NANI: walio zamu.
relay-from-survivor = {$code}: {$text}
triage-critical = Kama uko hatarini sasa, piga {$police} (bure). Tunamjulisha mshauri.
case-unanswered = Hatujaweza kumpata mshauri bado. Uko hatarini sasa? Piga {$police} (bure). Msaada: {$support}.
