# Kiswahili. Namba zinatoka kwenye [contacts] za salama.toml: $police na $police_alt
# ("999 au 112"), $support, $child, $cyber, $data, $hours. Vyanzo: locales/SOURCES.md.
# Imeandikwa kwa ajili ya Kenya. Kila skrini ya ushauri inaishia na { danger-line }.
# Imepitiwa na mhakiki wa AI (2026-11-29, locales/REVIEW.md); bado inahitaji mzungumzaji wa Kiswahili
# cha Kenya kuidhinisha kabla ya kuzinduliwa. "namba" = namba ya simu; "msimbo" = msimbo wa kesi.

## Engine: shown on every screen
language-name = Kiswahili
choose-language = Chagua lugha
nav-more = 98 Zaidi
nav-footer = 0 Rudi 00 Toka
sms-footer = Jibu kwa namba. 0: rudi. 00: acha.
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
opt-sim = Laini kubadilishwa (SIM swap)
opt-report = Kuripoti
opt-more = Hatua zaidi
yes = Ndiyo
no = Hapana

## Niko hatarini sasa
danger-now = Uko hatarini sasa? Piga {$police} au {$police_alt} (bure).
danger-signs =
    Nenda mahali salama au kwa mtu unayemwamini ukiweza. Vitisho vya kukuua, kukabwa koo, silaha au kuandamwa ni dalili za hatari KUBWA. Si kosa lako. Kuondoka au kumkabili mnyanyasaji kunaweza kuongeza hatari. Panga kwanza na {$support}. Ikiwa simu yako huenda inafuatiliwa, piga kwa simu nyingine.
    { danger-line }
plan =
    Mpango wa usalama: kubaliana na mtu unayemwamini neno la siri linalomaanisha "niitie msaada". Jua mahali salama pa kwenda na jinsi ya kufika huko. Weka tayari kitambulisho, pesa, dawa na simu yenye chaji. Andika namba muhimu kwenye karatasi. Panga na {$support} (bure, saa 24).
    { danger-line }

## Picha za faragha
images-intro =
    Si kosa lako, na hauko peke yako. Usilipe na usitume picha zaidi. Acha kujibu, lakini usifute mazungumzo: ni ushahidi.
    { danger-line }
images-evidence =
    Hifadhi ushahidi wa vitisho: piga picha ya skrini ya jumbe, jina la mtumiaji au namba, kiungo na tarehe. Usipige picha ya skrini, usihifadhi wala kutuma picha yenyewe. Kama aliye kwenye picha ana umri chini ya miaka 18, ni kosa la jinai. Weka maelezo yako mahali pa siri.
    { danger-line }
images-remove =
    Ripoti picha na akaunti kwa programu husika. Kama ulikuwa na miaka 18 au zaidi kwenye picha, tumia StopNCII.org kwenye simu janja yenye picha hiyo. Inatengeneza alama ya picha humo, na picha yenyewe haitumwi popote. Andika namba ya kumbukumbu na PIN utakazopewa, kwa sababu zikipotea hazipatikani tena. Kama ulikuwa chini ya miaka 18, tumia TakeItDown.ncmec.org. Zote mbili hazifanyi kazi ndani ya WhatsApp. "Huduma za kuondoa picha" za kulipia ni utapeli.
    { danger-line }
images-minor =
    Aliye kwenye picha ana umri chini ya miaka 18? Usiipige picha ya skrini, usiihifadhi wala kuituma, hata ili kuiripoti. Ripoti kiungo na akaunti kwa programu. Take It Down (takeitdown.ncmec.org) hutumika kwenye simu ambayo tayari ina picha hiyo. Piga {$child} (bure), simu ya msaada kwa watoto.
    { danger-line }

## Simu au akaunti
phone-title = Simu au akaunti:
phone-tracked = Mtu anafuatilia simu yangu
phone-hacked = Akaunti imedukuliwa au kuchukuliwa

## Inafuatiliwa
tracked-intro =
    Kama mtu anajua unakokwenda au unachosema, huenda anafuatilia simu yako. Kwa sasa usifute programu wala kuweka upya simu, kwa sababu anaweza kugundua. Panga usalama wako kwanza.
    { danger-line }
tracked-signs =
    Mara nyingi ufuatiliaji hufanyika kupitia akaunti za pamoja, kushiriki mahali ulipo, au mtu kukagua simu yako. Dalili za programu ya upelelezi ni chaji kuisha haraka, simu kupata joto bila kutumika na programu usizozijua. Pia mipangilio kubadilika, au yeye kuwahi kushika simu yako.
    { danger-line }
tracked-plan =
    Tafuta msaada kwa simu ambayo hajawahi kuigusa. Endelea kutumia simu yako kama kawaida ili asione mabadiliko. Ukiwa salama tu, angalia vifaa vilivyounganishwa (linked devices) na kama unashiriki mahali ulipo. Panga na {$support}.
    { danger-line }

## Akaunti imeingiliwa, SIM kubadilishwa
hacked-intro =
    Akaunti imechukuliwa? Tumia simu iliyo salama. Kwenye programu, chagua "umesahau nenosiri", weka nenosiri jipya, kisha washa uthibitishaji wa hatua mbili. Ondoa vifaa usivyovijua. Waonye marafiki kwamba jumbe kutoka akaunti hiyo huenda ni bandia. Ikiwa ni salama zaidi, panga kwanza na {$support}.
    { danger-line }
hacked-sim =
    Simu imekosa mtandao ghafla na SMS haziingii? Huenda namba yako imehamishiwa laini nyingine. Kwa simu nyingine, piga huduma kwa wateja ya mtandao wako mara moja uwaombe waizuie. Kisha badilisha PIN ya pesa kwa simu na manenosiri yako.
    { danger-line }

## Unyanyasaji mtandaoni
online-title = Nini kinatokea?
online-threats = Vitisho au unyanyasaji
online-impersonation = Akaunti bandia kwa jina langu
online-posted = Anwani au namba yangu imesambazwa
online-fake = Picha bandia za uchi au ngono
threats-intro =
    Usijibu wala kubishana. Piga picha ya skrini ya kila ujumbe pamoja na jina, tarehe na kiungo, kisha zuia na uripoti akaunti. Vitisho vya kukudhuru ni hatari na vinaweza kuwa uhalifu: ukitaka, ripoti kwa polisi au DCI {$cyber}.
    { danger-line }
impersonation =
    Mtu anajifanya wewe? Piga picha ya skrini ya akaunti bandia pamoja na kiungo na tarehe. Iripoti kwa programu kama akaunti ya kuiga. Waonye watu unaowasiliana nao wasiiamini. Kutumia utambulisho wako kunaweza kuwa kosa la jinai nchini Kenya.
    { danger-line }
posted-intro =
    Anwani au namba yako imesambazwa mtandaoni? Piga picha ya skrini pamoja na kiungo na tarehe, kisha iripoti kwa programu. Waambie unaoishi nao. Ukitishiwa, piga simu kwa polisi.
    { danger-line }
posted-more =
    Usibishane na watu mtandaoni wala kuandika kuwahusu. Waonye familia na wenzako kazini kwamba huenda wakatafutwa. Google inaweza kuondoa matokeo yanayoonyesha namba au anwani yako. Unaweza kulalamikia matumizi mabaya ya data yako binafsi kwa ODPC, {$data}.
    { danger-line }
fake-intro =
    Picha bandia ya uchi au ngono inayokuonyesha ni unyanyasaji pia, na si kosa lako. Piga picha ya skrini ya kiungo, tarehe na akaunti, si picha yenyewe, na uiripoti kwa programu. Usiisambaze ili kuonyesha kwamba ni bandia.
    { danger-line }
fake-remove =
    Una miaka 18 au zaidi? StopNCII.org inaweza kuzuia nakala za picha bandia iliyo kwenye simu janja yako; picha haitoki humo. Haiwezi kupata picha bandia mpya. Andika namba ya kumbukumbu na PIN, kwa sababu zikipotea hazipatikani. "Huduma za kuondoa picha" za kulipia ni utapeli. Kama aliye kwenye picha ana chini ya miaka 18, usiihifadhi. Ripoti kiungo na upige {$child}.
    { danger-line }

## Msaada zaidi
more-title = Zaidi:
more-selfharm = Mawazo ya kujiua
more-assault = Ukatili wa kingono
more-report = Kuripoti kisheria
more-plan = Mpango wa usalama
more-someone = Kumsaidia mwingine
more-about = Kuhusu huduma hii
selfharm =
    Hauko peke yako, na maisha yako ni muhimu. Tafadhali ongea na mtu sasa: piga {$support} (bure, saa 24) au chagua 1 kwa mshauri. Ukihisi unaweza kujidhuru sasa, piga namba iliyo hapa chini au nenda hospitalini.
    { danger-line }
assault =
    Baada ya ukatili wa kingono, nenda hospitali au kliniki ndani ya saa 72 ukiweza: dawa zinaweza kuzuia VVU na mimba. Hospitali nyingi nchini zina vituo vya kuwasaidia waathiriwa wa ukatili wa kijinsia (GVRC). Matibabu hayahitaji ripoti ya polisi. {$support} inaweza kukuelekeza.
    { danger-line }
report-intro =
    Kuripoti ni uamuzi wako. Nchini Kenya, kusambaza picha za faragha, unyanyasaji mtandaoni na kujifanya mtu mwingine ni makosa. Ni kwa mujibu wa sheria ya uhalifu wa mtandaoni ya 2018 (Computer Misuse and Cybercrimes Act). Unaweza kuripoti kwenye dawati la jinsia la kituo cha polisi au kwa DCI, {$cyber} (bure).
    { danger-line }
report-more =
    Beba picha zako za skrini, viungo na tarehe, na uhifadhi simu yenye jumbe hizo. Omba namba ya OB. Unaweza kwenda na mtu unayemwamini. {$support} inaweza kukusaidia kujiandaa au kuandamana nawe.
    { danger-line }
someone =
    Unamsaidia mtu? Mwamini, na umwachie uamuzi. Usimkabili mnyanyasaji wala kuchukua simu yake. Mpe namba ya huduma hii. Kama ana chini ya miaka 18, piga {$child} (bure). Usipige picha ya skrini wala kutuma picha zake.
    { danger-line }
about =
    Huduma hii ni bure. Saa za washauri: {$hours}. Msimbo uliopiga unabaki kwenye historia ya simu, na SMS zetu hubaki kwenye simu. Unaweza kuzifuta ikiwa ni salama. 00 hukutoa mara moja.
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
talk-consent = Tunaweza kuhesabu ombi lako kwenye takwimu, bila jina wala namba yako, ili kuboresha huduma?
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
    [HIGH] HARAKA
   *[other] kawaida
}
page-category = { $category ->
    [danger] yuko hatarini sasa
    [counsellor] anaomba mshauri
    [triage] kwa ujumbe wake
   *[other] {$category}
}
page-lang = { $lang ->
    [sw] Kiswahili
    [fr] Kifaransa
    [fon] Kifon
   *[other] Kiingereza
}
page = SALAMA kesi {$code}: { page-urgency }, { page-category }, lugha: { page-lang }. Apigiwe: {$call}. SMS: {$sms}. Jibu POKEA {$code} kuichukua.
page-unanswered = SALAMA kesi {$code} HAIJAJIBIWA: { page-urgency }, { page-category }, lugha: { page-lang }. Jibu POKEA {$code} kuichukua.
cmd-acked = Kesi {$code} ni yako. Apigiwe: {$call}. SMS: {$sms}. Kumtumia ujumbe, tuma {$code} na ujumbe wako. Tuma PIGA {$code} upate namba yake ya simu. FUNGA {$code} ukimaliza.
cmd-taken = Kesi {$code} imeshachukuliwa na {$name}.
cmd-no-case = Hakuna kesi wazi yenye msimbo {$code}.
cmd-no-pending = Hakuna kesi inayokusubiri: tuma POKEA pamoja na msimbo wa kesi.
cmd-not-yours = Kesi {$code} si yako: tuma POKEA {$code} kwanza.
cmd-sms-unsafe = Alisema SMS si salama: hakuna kilichotumwa.
cmd-relayed = Imetumwa kwa {$code}.
cmd-call = Kesi {$code}: namba yake ya simu ni {$number}. Wakati salama: {$time}.
cmd-call-unsafe = Kesi {$code}: alisema kupigiwa simu si salama. Usimpigie.
cmd-call-outside = Kesi {$code}: alisema ni salama kumpigia {$time} tu. Sasa si wakati huo.
cmd-passed = Kesi {$code} imepandishwa ngazi inayofuata.
cmd-closed = Kesi {$code} imefungwa.
cmd-who = Walio zamu: {$names}.
cmd-help = POKEA msimbo: chukua kesi. msimbo ujumbe: mtumie ujumbe. PIGA msimbo: namba yake. PITISHA msimbo: ngazi inayofuata. FUNGA msimbo matokeo: funga kesi. NANI: walio zamu.
relay-from-survivor = {$code}: {$text}
triage-critical = Kama uko hatarini sasa, piga {$police} au {$police_alt} (bure). Tunamjulisha mshauri.
case-unanswered = Hatujaweza kumpata mshauri bado. Uko hatarini sasa? Piga {$police} au {$police_alt} (bure). Msaada: {$support}.
