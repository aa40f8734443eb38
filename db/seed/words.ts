/**
 * Word lists and shapes for the demo catalogue (db/seed/demo-data.ts). Kept
 * apart from the generator so the logic stays short and the data easy to edit.
 * Brands, people and titles are invented.
 */

/** One value of a variant option: the label shown to shoppers, its SKU code, and a price/weight multiplier. */
export interface OptionValue {
  label: string;
  code: string;
  factor?: number;
}

/** A variant dimension such as size or colour. The first dimension of a subcategory varies most. */
export interface OptionDim {
  name: string;
  values: OptionValue[];
}

export interface SubcategorySpec {
  slug: string;
  name: string;
  /** SKU segment: `APP-SHIRT-0042-M-BLU`. */
  code: string;
  /** Name templates; {a} adjective, {n} noun, {m} modifier. */
  patterns: string[];
  adjectives: string[];
  nouns: string[];
  modifiers?: string[];
  /** Lowercase phrases that finish "<Name> from <Brand>: ..." in the description. */
  features: string[];
  tags: string[];
  options: OptionDim[];
  /** Whole-dollar price range and gram weight range of the base variant. */
  price: [number, number];
  weight: [number, number];
}

export interface TopCategorySpec {
  slug: string;
  name: string;
  code: string;
  brands: string[];
  /** Closing sentences of descriptions. */
  closers: string[];
  subcategories: SubcategorySpec[];
}

const v = (label: string, code: string, factor?: number): OptionValue => (factor === undefined ? { label, code } : { label, code, factor });
const colour = (...labels: string[]): OptionDim => ({
  name: "colour",
  values: labels.map((l) => v(l, COLOUR_CODES[l] ?? l.slice(0, 3).toUpperCase())),
});
const size = (...labels: string[]): OptionDim => ({ name: "size", values: labels.map((l) => v(l, l)) });
const volume = (...ml: [number, number][]): OptionDim => ({ name: "volume", values: ml.map(([n, f]) => v(`${n} ml`, `${n}ML`, f)) });
const format = (...values: OptionValue[]): OptionDim => ({ name: "format", values });

const COLOUR_CODES: Record<string, string> = {
  Black: "BLK",
  White: "WHT",
  Grey: "GRY",
  Navy: "NAV",
  Olive: "OLV",
  Beige: "BEI",
  Silver: "SLV",
  Purple: "PUR",
  Orange: "ORG",
};
const TWO = ["{a} {n}", "{a} {n}", "{a} {n} {m}"];
const PLAIN = ["{a} {n}"];
const PAPERBACK = v("Paperback", "PB");
const HARDCOVER = v("Hardcover", "HC", 1.8);

export const CATALOGUE: TopCategorySpec[] = [
  {
    slug: "electronics",
    name: "Electronics",
    code: "ELE",
    brands: ["Voltline", "Northwind Audio", "Lumen Labs", "Kestrel", "Arcadia Digital"],
    closers: ["Backed by a two-year warranty.", "Free returns within 30 days.", "Includes a USB-C cable."],
    subcategories: [
      {
        slug: "audio",
        name: "Audio",
        code: "AUDIO",
        patterns: TWO,
        modifiers: ["Pro", "Mini", "2", "Air", "Max"],
        adjectives: ["Wireless", "Noise-Cancelling", "Studio", "Compact", "Portable", "Hi-Fi", "Over-Ear", "True Wireless"],
        nouns: ["Headphones", "Earbuds", "Bluetooth Speaker", "Soundbar", "Bookshelf Speakers"],
        features: [
          "active noise cancellation",
          "up to 30 hours of battery life",
          "multipoint Bluetooth pairing",
          "a built-in microphone for calls",
          "rich, balanced sound",
          "IPX4 splash resistance",
        ],
        tags: ["wireless", "bluetooth", "music"],
        options: [colour("Black", "White", "Silver", "Navy")],
        price: [29, 349],
        weight: [40, 2400],
      },
      {
        slug: "computer-accessories",
        name: "Computer Accessories",
        code: "COMP",
        patterns: PLAIN,
        adjectives: ["Ergonomic", "Mechanical", "Slim", "Wireless", "Backlit", "Compact", "Aluminium"],
        nouns: ["Keyboard", "Mouse", "Laptop Stand", "Docking Station", "Webcam", "Monitor Arm"],
        features: [
          "a quiet, tactile feel",
          "plug-and-play USB-C",
          "a battery that lasts for months",
          "a fold-flat design for travel",
          "support for three devices",
        ],
        tags: ["usb-c", "desk-setup", "work-from-home"],
        options: [colour("Black", "White", "Grey")],
        price: [15, 249],
        weight: [80, 1800],
      },
      {
        slug: "smart-home",
        name: "Smart Home",
        code: "SMART",
        patterns: PLAIN,
        adjectives: ["Smart", "Wi-Fi", "Voice-Controlled", "Motion-Sensing", "Energy-Saving"],
        nouns: ["Plug", "LED Bulb", "Thermostat", "Doorbell Camera", "Light Strip", "Air Quality Monitor"],
        features: [
          "works with the major voice assistants",
          "set-up in minutes from the app",
          "schedules and automations",
          "energy-use reports",
        ],
        tags: ["smart-home", "wifi", "automation"],
        options: [{ name: "pack", values: [v("1-pack", "1PK"), v("2-pack", "2PK", 1.8), v("4-pack", "4PK", 3.4)] }],
        price: [12, 199],
        weight: [60, 900],
      },
      {
        slug: "cameras",
        name: "Cameras",
        code: "CAM",
        patterns: TWO,
        modifiers: ["II", "X", "Pro", "Lite"],
        adjectives: ["Mirrorless", "Action", "Instant", "Compact", "4K"],
        nouns: ["Camera", "Camera Kit", "Tripod", "Gimbal"],
        features: ["a fast, accurate autofocus", "image stabilisation", "4K video at 60 fps", "a weather-sealed body"],
        tags: ["photography", "video"],
        options: [],
        price: [39, 1299],
        weight: [150, 1600],
      },
    ],
  },
  {
    slug: "apparel",
    name: "Apparel",
    code: "APP",
    brands: ["Harbor & Pine", "Fieldnote", "Marlow Supply", "Tessa Row"],
    closers: ["Machine washable.", "Free exchanges on sizes.", "Made from responsibly sourced fibres."],
    subcategories: [
      {
        slug: "mens-shirts",
        name: "Men's Shirts",
        code: "SHIRT",
        patterns: PLAIN,
        adjectives: ["Oxford", "Linen", "Slim-Fit", "Flannel", "Chambray", "Classic", "Striped", "Short-Sleeve"],
        nouns: ["Shirt", "Button-Down", "Polo", "Henley", "Overshirt"],
        features: ["a relaxed fit through the chest", "soft, breathable cotton", "a button-down collar", "reinforced seams"],
        tags: ["menswear", "cotton", "casual"],
        options: [size("S", "M", "L", "XL"), colour("White", "Blue", "Navy", "Olive", "Grey")],
        price: [24, 89],
        weight: [180, 350],
      },
      {
        slug: "womens-dresses",
        name: "Women's Dresses",
        code: "DRESS",
        patterns: PLAIN,
        adjectives: ["Wrap", "Midi", "Linen", "Floral", "Pleated", "Slip", "Knit"],
        nouns: ["Dress", "Sundress", "Shirt Dress", "Maxi Dress"],
        features: ["a flattering A-line cut", "hidden side pockets", "a lightweight, flowing fabric", "an adjustable waist tie"],
        tags: ["womenswear", "summer", "occasion"],
        options: [size("XS", "S", "M", "L"), colour("Black", "Red", "Green", "Beige", "Navy")],
        price: [39, 149],
        weight: [200, 500],
      },
      {
        slug: "outerwear",
        name: "Outerwear",
        code: "OUTER",
        patterns: PLAIN,
        adjectives: ["Quilted", "Waterproof", "Wool", "Packable", "Insulated", "Denim"],
        nouns: ["Jacket", "Parka", "Coat", "Vest", "Rain Shell"],
        features: ["taped seams that keep the rain out", "a detachable hood", "recycled insulation", "plenty of pockets"],
        tags: ["outerwear", "winter", "layering"],
        options: [size("S", "M", "L", "XL"), colour("Black", "Navy", "Olive", "Grey")],
        price: [59, 299],
        weight: [350, 1400],
      },
      {
        slug: "footwear",
        name: "Footwear",
        code: "SHOE",
        patterns: PLAIN,
        adjectives: ["Leather", "Canvas", "Trail", "Everyday", "Suede", "Lightweight"],
        nouns: ["Sneakers", "Boots", "Loafers", "Running Shoes", "Chelsea Boots"],
        features: ["a cushioned footbed", "a grippy rubber outsole", "full-grain leather uppers", "a break-in-free fit"],
        tags: ["shoes", "everyday"],
        options: [size("7", "8", "9", "10", "11", "12"), colour("Black", "White", "Grey", "Beige")],
        price: [49, 219],
        weight: [500, 1300],
      },
    ],
  },
  {
    slug: "home",
    name: "Home",
    code: "HOM",
    brands: ["Copperleaf", "Hearthstone", "Linen & Loom", "Oakhaven"],
    closers: ["Designed to last for years.", "Ships in plastic-free packaging.", "Covered by a lifetime guarantee."],
    subcategories: [
      {
        slug: "kitchen",
        name: "Kitchen",
        code: "KITCH",
        patterns: PLAIN,
        adjectives: ["Cast-Iron", "Stainless Steel", "Nonstick", "Ceramic", "Bamboo", "Enamelled"],
        nouns: ["Skillet", "Dutch Oven", "Chef's Knife", "Cutting Board", "Saucepan", "Mixing Bowl Set", "French Press"],
        features: [
          "even heat on every hob, induction included",
          "dishwasher-safe parts",
          "a comfortable, balanced handle",
          "a finish that improves with use",
        ],
        tags: ["kitchen", "cookware", "gift"],
        options: [colour("Black", "Red", "Green", "Grey")],
        price: [15, 189],
        weight: [300, 5500],
      },
      {
        slug: "bedding",
        name: "Bedding",
        code: "BED",
        patterns: PLAIN,
        adjectives: ["Percale", "Sateen", "Linen", "Organic Cotton", "Waffle-Knit"],
        nouns: ["Sheet Set", "Duvet Cover", "Pillowcase Pair", "Quilt"],
        features: [
          "a cool, crisp hand-feel",
          "deep pockets that stay put",
          "OEKO-TEX certified fabric",
          "a softness that grows with every wash",
        ],
        tags: ["bedroom", "cotton", "sleep"],
        options: [
          { name: "size", values: [v("Twin", "TW"), v("Full", "FL", 1.15), v("Queen", "QN", 1.3), v("King", "KG", 1.45)] },
          colour("White", "Grey", "Beige", "Navy"),
        ],
        price: [29, 199],
        weight: [600, 2800],
      },
      {
        slug: "decor",
        name: "Decor",
        code: "DECOR",
        patterns: PLAIN,
        adjectives: ["Handmade", "Woven", "Ceramic", "Brass", "Minimalist", "Rattan"],
        nouns: ["Vase", "Table Lamp", "Wall Mirror", "Planter", "Candle Holder", "Picture Frame"],
        features: [
          "a hand-finished glaze",
          "natural, sustainable materials",
          "a timeless silhouette",
          "subtle variations that make each piece unique",
        ],
        tags: ["decor", "living-room", "gift"],
        options: [colour("White", "Black", "Beige", "Green")],
        price: [14, 159],
        weight: [200, 4000],
      },
    ],
  },
  {
    slug: "sports",
    name: "Sports & Outdoors",
    code: "SPO",
    brands: ["Summit Trail", "Ridgeback", "Velocity", "Tidewater"],
    closers: ["Tested in the field by our athletes.", "Free returns within 60 days.", "Repairable, with spare parts available."],
    subcategories: [
      {
        slug: "outdoor",
        name: "Outdoor",
        code: "OUTD",
        patterns: PLAIN,
        adjectives: ["Ultralight", "Waterproof", "Insulated", "Trail", "Packable", "All-Season"],
        nouns: ["Tent", "Sleeping Bag", "Daypack", "Trekking Poles", "Camp Stove", "Headlamp"],
        features: [
          "a pack weight you will barely notice",
          "a set-up of under five minutes",
          "storm-proof construction",
          "recycled ripstop fabric",
        ],
        tags: ["camping", "hiking", "outdoors"],
        options: [colour("Green", "Orange", "Grey", "Blue")],
        price: [19, 399],
        weight: [90, 3200],
      },
      {
        slug: "fitness",
        name: "Fitness",
        code: "FIT",
        patterns: PLAIN,
        adjectives: ["Adjustable", "Non-Slip", "Foam", "Compact", "Weighted"],
        nouns: ["Yoga Mat", "Dumbbell Set", "Kettlebell", "Resistance Bands", "Jump Rope", "Foam Roller"],
        features: [
          "a grip that holds when you sweat",
          "a space-saving design",
          "durable, easy-clean materials",
          "a free guided workout plan",
        ],
        tags: ["fitness", "home-gym", "training"],
        options: [colour("Black", "Blue", "Purple", "Grey")],
        price: [9, 249],
        weight: [150, 12000],
      },
      {
        slug: "cycling",
        name: "Cycling",
        code: "CYCLE",
        patterns: PLAIN,
        adjectives: ["Aero", "Commuter", "Padded", "Rechargeable", "Carbon", "Reflective"],
        nouns: ["Helmet", "Bike Light Set", "Cycling Gloves", "Saddle Bag", "Bottle Cage", "Mini Pump"],
        features: [
          "high-visibility reflective details",
          "a secure, tool-free mount",
          "a USB-C rechargeable battery",
          "a weight that will not slow you down",
        ],
        tags: ["cycling", "commuting", "bike"],
        options: [colour("Black", "White", "Red")],
        price: [12, 179],
        weight: [40, 600],
      },
    ],
  },
  {
    slug: "beauty",
    name: "Beauty",
    code: "BEA",
    brands: ["Dewdrop", "Fern & Fig", "Aurelia", "Saltwater Skin"],
    closers: ["Cruelty-free and vegan.", "Dermatologist tested.", "In a recyclable glass bottle."],
    subcategories: [
      {
        slug: "skincare",
        name: "Skincare",
        code: "SKIN",
        patterns: PLAIN,
        adjectives: ["Hydrating", "Brightening", "Gentle", "Daily", "Overnight", "Vitamin C"],
        nouns: ["Serum", "Moisturiser", "Cleanser", "Face Oil", "Eye Cream", "Toner"],
        features: [
          "hyaluronic acid for lasting hydration",
          "a lightweight, non-greasy texture",
          "a fragrance-free formula for sensitive skin",
          "niacinamide to even skin tone",
        ],
        tags: ["skincare", "vegan", "self-care"],
        options: [volume([30, 1], [50, 1.4], [100, 2.2])],
        price: [9, 69],
        weight: [60, 250],
      },
      {
        slug: "haircare",
        name: "Haircare",
        code: "HAIR",
        patterns: PLAIN,
        adjectives: ["Repairing", "Volumising", "Sulphate-Free", "Curl-Defining", "Argan", "Clarifying"],
        nouns: ["Shampoo", "Conditioner", "Hair Mask", "Leave-In Spray", "Styling Cream"],
        features: [
          "a blend of plant oils",
          "a formula safe for colour-treated hair",
          "a light, fresh scent",
          "frizz control that lasts all day",
        ],
        tags: ["haircare", "sulphate-free"],
        options: [volume([100, 1], [250, 1.6], [500, 2.6])],
        price: [7, 39],
        weight: [120, 600],
      },
      {
        slug: "fragrance",
        name: "Fragrance",
        code: "FRAG",
        patterns: PLAIN,
        adjectives: ["Amber", "Citrus", "Cedar", "Vetiver", "Rose", "Sea Salt", "Vanilla"],
        nouns: ["Eau de Parfum", "Eau de Toilette", "Body Mist", "Solid Perfume"],
        features: [
          "notes of bergamot, cedar and musk",
          "a warm, long-lasting dry-down",
          "a bright opening of citrus and neroli",
          "an easy, everyday character",
        ],
        tags: ["fragrance", "gift"],
        options: [volume([30, 1], [50, 1.5], [100, 2.3])],
        price: [25, 140],
        weight: [100, 400],
      },
    ],
  },
  {
    slug: "books",
    name: "Books",
    code: "BOO",
    brands: ["Penrose Press", "Lantern House", "Blue Heron Books", "Quillfeather"],
    closers: ["A staff pick this season.", "Signed copies while stocks last.", "Printed on FSC-certified paper."],
    subcategories: [
      {
        slug: "fiction",
        name: "Fiction",
        code: "FIC",
        patterns: ["The {a} {n}", "A {a} {n}", "The {n} of {m}"],
        adjectives: ["Silent", "Last", "Hidden", "Burning", "Glass", "Winter", "Forgotten", "Northern", "Midnight", "Paper"],
        nouns: ["Harbour", "Orchard", "Lighthouse", "Garden", "Kingdom", "River", "Archive", "Station", "Cartographer", "Season"],
        modifiers: ["Small Hours", "Lost Things", "Salt", "Ash", "Tides", "Maps"],
        features: [
          "a sweeping family saga across three generations",
          "a twisty literary thriller",
          "a tender story of friendship and loss",
          "a debut that critics could not put down",
        ],
        tags: ["novel", "bestseller", "book-club"],
        options: [format(PAPERBACK, HARDCOVER)],
        price: [9, 18],
        weight: [250, 500],
      },
      {
        slug: "non-fiction",
        name: "Non-Fiction",
        code: "NONF",
        patterns: ["A {a} {n}", "The {a} {n}"],
        adjectives: ["Brief", "Practical", "Curious", "Modern", "Essential", "Hidden"],
        nouns: [
          "History of Bread",
          "Guide to Sleep",
          "Science of Habits",
          "Field Guide to Birds",
          "Art of Rest",
          "Handbook of Home Cooking",
        ],
        features: [
          "a lively, well-researched read",
          "practical advice you can use today",
          "a fresh look at a familiar subject",
          "illustrations on nearly every page",
        ],
        tags: ["non-fiction", "learning"],
        options: [format(PAPERBACK, HARDCOVER)],
        price: [12, 28],
        weight: [300, 800],
      },
      {
        slug: "childrens",
        name: "Children's Books",
        code: "KIDS",
        patterns: ["The {a} {n}", "{a} {n} Goes to {m}"],
        adjectives: ["Sleepy", "Brave", "Little", "Noisy", "Curious", "Giggling"],
        nouns: ["Fox", "Dragon", "Bear", "Robot", "Penguin", "Octopus"],
        modifiers: ["Sea", "School", "Space", "the Moon", "Market"],
        features: [
          "bright, playful illustrations",
          "a perfect bedtime read-aloud",
          "rhymes that little ones will love",
          "sturdy pages for small hands",
        ],
        tags: ["kids", "picture-book", "gift"],
        options: [format(v("Board Book", "BB", 0.8), PAPERBACK, v("Hardcover", "HC", 1.5))],
        price: [6, 16],
        weight: [150, 600],
      },
    ],
  },
];

/** Fixed staff accounts, one per back-office role; their emails are the ones documented for local use. */
export const STAFF = [
  { email: "admin@example.com", name: "Alex Morgan", role: "admin" },
  { email: "support@example.com", name: "Sam Rivera", role: "support" },
  { email: "analyst@example.com", name: "Priya Shah", role: "analyst" },
] as const;

export const FIRST_NAMES = ["Jordan", "Maria", "Wei", "Olivia", "Liam", "Amara", "Noah", "Sofia", "Kenji", "Fatima", "Lucas", "Ingrid"];
export const LAST_NAMES = [
  "Lee",
  "Garcia",
  "Chen",
  "Brown",
  "O'Connor",
  "Okafor",
  "Müller",
  "Rossi",
  "Tanaka",
  "Haddad",
  "Silva",
  "Larsen",
];
