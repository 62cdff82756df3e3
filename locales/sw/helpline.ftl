# Kiswahili. Nambari zinatoka kwenye [contacts] za salama.toml: $police na $police_alt
# ("999 au 112"), $support, $child, $cyber, $data, $hours. Vyanzo: locales/SOURCES.md.
# Imeandikwa kwa ajili ya Kenya. Kila skrini ya ushauri inaishia na { danger-line }.
# Needs review by a native Kiswahili speaker who did not write it (see README, content).

## Engine: shown on every screen
language-name = Kiswahili
choose-language = Chagua lugha
nav-more = 98 Zaidi
nav-footer = 0 Rudi 00 Toka
sms-footer = Jibu kwa nambari. 0: rudi. 00: acha.
sms-neutral-first = Habari. Jibu 1 kuendelea, au 00 kuacha.
hint-invalid = Sijaelewa. { nav-footer }
quick-exit = Asante. Kwaheri.
service-unavailable = Samahani, jaribu tena baadaye. Uko hatarini sasa? Piga {$police} au {$police_alt} (bure). Msaada: {$support}.
danger-line = Hatari: {$police} au {$police_alt}

## Main menu
main-title = Tukusaidieje?
main-danger = Niko hatarini
main-counsellor = Ongea na mshauri
main-images = Picha za faragha
main-phone = Simu au akaunti
main-online = Unyanyasaji mtandaoni
main-more = Msaada zaidi
main-language = Lugha / Language

## Fon: skrini ya kwanza baada ya kuchagua Kifon, kwenye huduma inayoitoa (ya Benin)
fon-welcome = Yanayofuata ni kwa Kifaransa. Kwa mshauri anayezungumza Kifon: 2.
fon-continue = Endelea kwa Kifaransa

## Options used on several screens
opt-counsellor = Ongea na mshauri
opt-danger-signs = Dalili za hatari kubwa
opt-plan = Panga usalama wako
opt-evidence = Hifadhi ushahidi
opt-remove = Kuondoa picha
opt-minor = Mtoto chini ya miaka 18
opt-signs = Dalili za kufuatiliwa
opt-safe-steps = Hatua salama
opt-sim = SIM kubadilishwa
opt-report = Kuripoti
opt-more = Hatua zaidi
yes = Ndiyo
no = Hapana

## Niko hatarini sasa
danger-now = Uko hatarini sasa? Piga {$police} au {$police_alt} (bure). Nenda mahali salama au kwa mtu unayemwamini ukiweza. Ukiwa salama, piga {$support} (bure, saa 24) kupanga usalama wako.
danger-signs =
    Vitisho vya kukuua, kukabwa koo, silaha au kuandamwa ni dalili za hatari KUBWA. Si kosa lako. Kuondoka au kumkabili kunaweza kuongeza hatari: panga kwanza na {$support}. Kama simu yako inachunguzwa, piga kwa simu nyingine.
    { danger-line }
plan =
    Mpango wa usalama: kubaliana na mtu unayemwamini neno la siri linalomaanisha "niitie msaada". Jua mahali salama pa kwenda na jinsi ya kufika. Weka tayari: kitambulisho, pesa, dawa, nambari muhimu zimeandikwa, simu yenye chaji. Panga na {$support}, bure, saa 24.
    { danger-line }

## Picha za faragha
images-intro =
    Si kosa lako, na hauko peke yako. Usilipe na usitume picha zaidi. Acha kujibu, lakini usifute mazungumzo: ni ushahidi.
    { danger-line }
images-evidence =
    Hifadhi ushahidi wa vitisho: piga picha ya skrini ya jumbe, jina la mtumiaji au nambari, kiungo na tarehe. Usipige picha ya skrini, usihifadhi wala kutuma picha yenyewe: kama aliye ndani yake yuko chini ya miaka 18, ni kosa la jinai. Weka maelezo yako mahali pa siri.
    { danger-line }
images-remove =
    Ripoti picha na akaunti kwa programu husika. Ulikuwa na miaka 18 au zaidi kwenye picha? StopNCII.org inahitaji simu janja yenye picha hiyo: inatengeneza msimbo humo, na picha haipakiwi. Andika nambari ya kesi na PIN yake: zikipotea hazipatikani tena. Chini ya miaka 18: TakeItDown.ncmec.org. Hazifanyi kazi ndani ya WhatsApp. "Huduma za kuondoa picha" za kulipia ni utapeli.
    { danger-line }
images-minor =
    Aliye kwenye picha yuko chini ya miaka 18? Usiipige picha ya skrini, usiihifadhi wala kuituma, hata kuiripoti. Ripoti kiungo na akaunti kwa programu. Take It Down (takeitdown.ncmec.org) hutumika kwenye simu ambayo tayari ina picha hiyo. Simu ya msaada kwa watoto: {$child}, bure.
    { danger-line }

## Simu au akaunti
phone-title = Simu au akaunti:
phone-tracked = Mtu anafuatilia simu yangu
phone-hacked = Akaunti imeingiliwa

## Inafuatiliwa
tracked-intro =
    Kama mtu anajua unakokwenda au unachosema, huenda anafuatilia simu yako. Usifute programu wala kuweka upya simu sasa: inaweza kumtahadharisha. Panga usalama wako kwanza.
    { danger-line }
tracked-signs =
    Mara nyingi ni akaunti za pamoja, kushiriki mahali ulipo au mtu kukagua simu yako. Dalili za programu za upelelezi: chaji inaisha haraka, simu ina joto bila kutumika, programu usizozijua, mipangilio imebadilika, aliwahi kushika simu yako.
    { danger-line }
tracked-plan =
    Tafuta msaada kwa simu ambayo hajawahi kuigusa. Endelea kutumia simu yako kama kawaida ili kisionekane kitu tofauti. Angalia vifaa vilivyounganishwa na kushiriki mahali tu ikiwa ni salama. Panga na {$support}.
    { danger-line }

## Akaunti imeingiliwa, SIM kubadilishwa
hacked-intro =
    Akaunti imechukuliwa? Kwa simu salama: tumia "umesahau nenosiri" kwenye programu, badilisha nenosiri, kisha washa uthibitishaji wa hatua mbili. Ondoa vifaa usivyovijua. Waonye marafiki: jumbe kutoka akaunti hiyo huenda ni za uongo. Ikiwa ni salama zaidi, panga kwanza na {$support}.
    { danger-line }
hacked-sim =
    Simu imekosa mtandao ghafla na SMS hazifiki? Huenda nambari yako imehamishiwa SIM nyingine. Piga kampuni ya simu mara moja kwa simu nyingine uwaombe waizuie. Kisha badilisha PIN ya pesa kwa simu na manenosiri yako.
    { danger-line }

## Unyanyasaji mtandaoni
online-title = Nini kinatokea?
online-threats = Vitisho au unyanyasaji
online-impersonation = Akaunti bandia kwa jina langu
online-posted = Anwani au nambari yangu imewekwa
online-fake = Picha bandia za ngono au za AI
threats-intro =
    Usijibu wala kubishana. Piga picha ya skrini ya kila ujumbe pamoja na jina, tarehe na kiungo, kisha zuia na uripoti akaunti. Vitisho vya kukudhuru ni hatari na vinaweza kuwa uhalifu: ukipenda, ripoti kwa polisi au DCI {$cyber}.
    { danger-line }
impersonation =
    Mtu anajifanya wewe? Piga picha ya skrini ya akaunti bandia pamoja na kiungo na tarehe. Iripoti kwa programu kama akaunti ya kuiga. Waonye watu unaowasiliana nao wasiiamini. Kutumia utambulisho wako kunaweza kuwa kosa la jinai nchini Kenya.
    { danger-line }
posted-intro =
    Anwani au nambari yako imewekwa mtandaoni? Piga picha ya skrini pamoja na kiungo na tarehe, kisha iripoti kwa programu. Waambie unaoishi nao. Ukitishiwa, piga simu polisi.
    { danger-line }
posted-more =
    Usiwajibu watu wengi wala kuandika kuwahusu. Waonye familia na kazini kwamba huenda wakatafutwa. Google inaweza kuondoa matokeo yanayoonyesha nambari au anwani yako. Malalamiko kuhusu data binafsi: ODPC, {$data}.
    { danger-line }
fake-intro =
    Picha bandia za ngono zinazokuonyesha bado ni unyanyasaji, na si kosa lako. Piga picha ya skrini ya kiungo, tarehe na akaunti, si picha yenyewe, na uiripoti kwa programu. Usiisambaze ili kuonyesha kwamba ni bandia.
    { danger-line }
fake-remove =
    Una miaka 18 au zaidi? StopNCII.org inaweza kuzuia nakala za picha bandia iliyo kwenye simu janja yako; picha haitoki humo. Haiwezi kupata picha bandia mpya. Hifadhi nambari ya kesi na PIN: zikipotea hazipatikani. "Huduma za kuondoa picha" za kulipia ni utapeli. Anayeonyeshwa yuko chini ya miaka 18? Usiihifadhi: ripoti kiungo, piga {$child}.
    { danger-line }

## Msaada zaidi
more-title = Zaidi:
more-selfharm = Mawazo ya kujiua
more-assault = Ukatili wa kingono
more-report = Kuripoti, sheria
more-plan = Mpango wa usalama
more-someone = Kumsaidia mwingine
more-about = Kuhusu huduma hii
selfharm =
    Hauko peke yako, na maisha yako ni muhimu. Tafadhali ongea na mtu sasa: piga {$support} (bure, saa 24) au chagua 1 kwa mshauri. Ukihisi unaweza kujidhuru sasa, piga nambari iliyo hapa chini au nenda hospitalini.
    { danger-line }
assault =
    Baada ya ukatili wa kingono, nenda hospitali au kliniki ndani ya saa 72 ukiweza: dawa zinaweza kuzuia HIV na mimba. Hospitali za Kenya zina vituo vya kuwasaidia waathiriwa wa ukatili wa kijinsia (GVRC). Matibabu hayahitaji ripoti ya polisi. {$support} inaweza kukuelekeza.
    { danger-line }
report-intro =
    Kuripoti ni uamuzi wako. Nchini Kenya, kusambaza picha za faragha, unyanyasaji mtandaoni na kujifanya mtu mwingine ni makosa chini ya Sheria ya Matumizi Mabaya ya Kompyuta na Uhalifu wa Mtandaoni ya 2018. Unaweza kuripoti kwenye dawati la jinsia la kituo cha polisi au kwa DCI, {$cyber} (bure).
    { danger-line }
report-more =
    Beba picha zako za skrini, viungo na tarehe, na uweke simu yenye jumbe hizo. Omba nambari ya OB. Unaweza kwenda na mtu unayemwamini. {$support} inaweza kukusaidia kujiandaa au kwenda nawe.
    { danger-line }
someone =
    Unamsaidia mtu? Mwamini, na umwachie uamuzi. Usimkabili mnyanyasaji wala kuchukua simu yake. Mpe nambari hii. Chini ya miaka 18: piga {$child} (bure); usipige picha ya skrini wala kutuma picha zake.
    { danger-line }
about =
    Huduma hii ni bure. Washauri wanapatikana {$hours}. Msimbo uliopiga unabaki kwenye historia ya simu, na SMS zetu hubaki kwenye simu: zifute ukiwa salama. 00 inatoka mara moja.
    { danger-line }

## Ongea na mshauri: usalama wa mawasiliano kwanza
talk-how = Mshauri akufikie vipi?
talk-call-any = Simu, wakati wowote
talk-call-morning = Simu, saa 2-6 asubuhi
talk-call-afternoon = Simu, saa 6-11 jioni
talk-call-evening = Simu, saa 11-3 usiku
talk-sms-only = SMS tu
talk-neither = Hakuna iliyo salama
talk-note = Kwa maneno machache, nini kinaendelea? Tuma 1 kuruka.
talk-consent = Tunaweza kuhesabu ombi lako, bila chochote kinachokutaja, ili kuboresha huduma hii?
talk-done = Asante. Mshauri atawasiliana nawe tu kwa njia uliyochagua. Uko hatarini sasa? Piga {$police} au {$police_alt}.
talk-no-contact = Hatutawasiliana nawe. Ukiweza, piga {$support} (bure) kwa simu salama. Uko hatarini sasa? Piga {$police} au {$police_alt}.
# Nyakati za kupiga simu, kama washauri wanavyozisoma.
time-morning = Asubuhi (saa 2-6)
time-afternoon = Mchana (saa 6-11)
time-evening = Jioni (saa 11-3 usiku)
time-any = Wakati wowote

## Escalation: pages and answers to counsellors (SMS), wholly in Kiswahili
page-urgency = { $urgency ->
    [CRITICAL] DHARURA
    [HIGH] MUHIMU
   *[other] kawaida
}
page-category = { $category ->
    [danger] yuko hatarini sasa
    [counsellor] anaomba mshauri
   *[other] {$category}
}
page-lang = { $lang ->
    [sw] Kiswahili
    [fr] Kifaransa
    [fon] Kifon
   *[other] Kiingereza
}
page = SALAMA kesi {$code}: { page-urgency }, { page-category }, lugha: { page-lang }. Simu: {$call}. SMS: {$sms}. Jibu ACK {$code} kuichukua.
page-unanswered = SALAMA kesi {$code} HAIJAJIBIWA: { page-urgency }, { page-category }, lugha: { page-lang }. Jibu ACK {$code} kuichukua.
cmd-acked = Kesi {$code} ni yako. Simu: {$call}. SMS: {$sms}. Kumtumia ujumbe: {$code} maandishi yako. PIGA {$code} kupata nambari yake ya simu. FUNGA {$code} ukimaliza.
cmd-taken = Kesi {$code} imeshachukuliwa na {$name}.
cmd-no-case = Hakuna kesi wazi yenye msimbo {$code}.
cmd-no-pending = Hakuna kesi inayokusubiri: tuma ACK pamoja na msimbo wa kesi.
cmd-not-yours = Kesi {$code} si yako: tuma ACK {$code} kwanza.
cmd-sms-unsafe = Alisema SMS si salama: hakuna kilichotumwa.
cmd-relayed = Imetumwa kwa {$code}.
cmd-call = Kesi {$code}: nambari yake ya simu ni {$number}. Wakati salama: {$time}.
cmd-call-unsafe = Kesi {$code}: alisema kupigiwa simu si salama. Usimpigie.
cmd-call-outside = Kesi {$code}: alisema kupigiwa ni salama tu {$time}. Sasa si wakati huo.
cmd-passed = Kesi {$code} imepelekwa ngazi inayofuata.
cmd-closed = Kesi {$code} imefungwa.
cmd-who = Walio zamu: {$names}.
cmd-help = ACK msimbo: chukua kesi. msimbo ujumbe: mtumie. PIGA msimbo: nambari yake. PITISHA msimbo. FUNGA msimbo matokeo. NANI: walio zamu.
relay-from-survivor = {$code}: {$text}
triage-critical = Kama uko hatarini sasa, piga {$police} au {$police_alt} (bure). Tunamjulisha mshauri.
case-unanswered = Hatujaweza kumpata mshauri bado. Uko hatarini sasa? Piga {$police} au {$police_alt} (bure). Msaada: {$support}.
