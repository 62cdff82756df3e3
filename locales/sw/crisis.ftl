# Njia ya dharura (issue 16). Tazama locales/en/crisis.ftl.

## Survivor
opt-reach = Mshauri awasiliane nawe?
crisis-reach = Je, ni salama mshauri kuwasiliana nawe?
crisis-reach-call = Ndiyo, simu
crisis-reach-sms-only = SMS tu
crisis-reach-none = Hapana, vyote viwili
crisis-unstaffed = Hakuna mshauri kazini sasa hivi. Uko hatarini sasa? Piga {$police} au {$police_alt} (bure). Msaada: {$support}.
crisis-reach-sms = Uko hatarini sasa? Piga {$police} au {$police_alt} (bure). Mshauri awasiliane nawe? Jibu 1 simu ni salama, 2 SMS ni salama, 3 hakuna (hakuna atakayewasiliana nawe; piga {$support} ukiwa salama).
crisis-reach-sms-nobody = Hakuna mshauri kazini sasa hivi. Uko hatarini sasa? Piga {$police} au {$police_alt} (bure). Msaada: {$support}. Baadaye, mshauri awasiliane nawe? Jibu 1 simu ni salama, 2 SMS ni salama, 3 hakuna.
crisis-reach-sms-ok = Asante. Mshauri atakuandikia hapa.
sms-neutral-first-to = Habari. Tuma 1 kwa {$number} kuendelea, au 00 kuacha.

## Counsellors
not-asked = hakuulizwa
crisis-her-note = Kesi {$code}, maneno yake: {$note}
crisis-she-left = Kesi {$code}: Ameondoka kwenye mazungumzo (kutoka haraka). Usiwasiliane naye isipokuwa aandike tena.
cmd-she-left = Haikutumwa. Kesi {$code}: ameondoka kwenye mazungumzo (kutoka haraka). Usiwasiliane naye isipokuwa aandike tena.
# A supervisor reassigned a case in the console: to the new holder, then to the one who had it.
case-given = Msimamizi amekupa kesi {$code}. Apigiwe: {$call}. SMS: {$sms}. Kumtumia ujumbe, tuma {$code} na ujumbe wako. Tuma PIGA {$code} upate namba yake ya simu. FUNGA {$code} ukimaliza.
case-taken-from-you = Msimamizi amempa {$name} kesi {$code}. Si yako tena: usiwasiliane naye kuhusu kesi hii.
