/**
 * A blocklist in the spirit of breached-password screening: the most common
 * passwords and the words they are built from (lower case, letters only, as
 * the policy compares them after undoing common substitutions and removing
 * digits and symbols). A longer corpus would catch more; this one keeps the
 * Worker small while refusing what attackers try first.
 */
export const COMMON_PASSWORD_WORDS: ReadonlySet<string> = new Set(
  `
password passwd passw pass pwd secret changeme default letmein letmeinplease welcome welcomeback hello hellothere
qwerty qwertyuiop qwertyuio qwertyui qwertz qwertzuiop azerty azertyuiop asdf asdfgh asdfghjkl asdfghjk zxcvbn zxcvbnm
qazwsx qazwsxedc qazwsxedcrfv zaqwsx zaqxsw wsxedc qweasd qweasdzxc qwe qweqwe qwertyqwerty asdasd zxczxc
abc abcd abcde abcdef abcdefg abcdefgh abcdefghi abcdefghij abcdefghijk abcdefghijkl abcabc aaa aaaa
iloveyou iloveu loveyou lovely love lover loveme mylove iloveme ihateyou
admin administrator root toor superuser sysadmin manager master masterkey guest user username login logon test tester testing demo
monkey dragon tiger lion eagle falcon shark dolphin panther jaguar cheetah horse chicken pussy kitten kitty puppy doggy
football soccer baseball basketball hockey golf tennis cricket rugby volleyball boxing racing
sunshine sunflower flower rainbow butterfly starlight moonlight midnight shadow princess prince queen king
superman batman spiderman ironman wolverine pokemon pikachu starwars startrek matrix hunter ranger killer slayer ninja samurai
trustno trustnoone whatever freedom liberty justice peace faith hope charity blessed jesus christ god angel angels heaven
michael jennifer jordan jessica ashley amanda daniel david robert thomas andrew joshua matthew anthony charlie george
michelle nicole jasmine hannah sophie thomas william james john richard charles joseph christopher
maggie ginger pepper buster bailey rocky lucky max molly buddy daisy sadie toby bella chloe
summer winter spring autumn january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
computer internet samsung google facebook instagram twitter linkedin apple microsoft windows linux android iphone
qwerty mustang ferrari porsche corvette harley yamaha mercedes bmw toyota honda
cookie cookies cheese chocolate banana orange apple pizza coffee pepsi cocacola
secret secrets private hidden unknown nothing something everything anything
access accessdenied letmeinnow opensesame open sesame
shop shopping store commerce ecommerce edgecommerce customer
correcthorsebatterystaple correcthorse batterystaple
blink zaq xsw cde vfr bgt nhy mju
dragonball naruto onepiece
baby babygirl babyboy angel sweet sweetie sweetheart honey sugar cutie beautiful gorgeous pretty
family mother father mommy daddy sister brother friend friends forever together
london paris berlin madrid rome tokyo newyork chicago boston dallas texas california florida canada america australia
chelsea arsenal liverpool barcelona realmadrid juventus manchester united
hottie sexy hotmail gmail yahoo
qwerty zxcvbnm asdfghjkl
`
    .split(/\s+/)
    .filter(Boolean),
);

/** Keyboard walks and counting runs that are common whatever their length. */
export const COMMON_SEQUENCES: readonly string[] = [
  "0123456789",
  "9876543210",
  "abcdefghijklmnopqrstuvwxyz",
  "zyxwvutsrqponmlkjihgfedcba",
  "qwertyuiopasdfghjklzxcvbnm",
  "mnbvcxzlkjhgfdsapoiuytrewq",
  "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
  "1q2w3e4r5t6y7u8i9o0p",
  "q1w2e3r4t5y6u7i8o9p0",
  "qazwsxedcrfvtgbyhnujmikolp",
  "zaq1xsw2cde3vfr4bgt5nhy6mju7",
];
