// The fictional geography of the demo area: invented town names, and the street, school and
// surgery name parts that English towns are built from. None of the towns exists.

/** Towns of the area, the first being the largest; postcode districts are shared out among them. */
export const towns = ['Northbridge', 'Kestrelford', 'Wrenhaven', 'Larkmoor', 'Thistlecombe', 'Fernholt', 'Otterby Cross'];

/** Postcode area letters: "NB" is not a UK postcode area, so no demo postcode can be real. */
export const postcodeArea = 'NB';

/** Letters used in the last two positions of a UK postcode (C, I, K, M, O and V are never used). */
export const postcodeUnitLetters = 'ABDEFGHJLNPQRSTUWXYZ';

export const streetStems = [
  'Oak', 'Ash', 'Beech', 'Elm', 'Willow', 'Hawthorn', 'Rowan', 'Chestnut', 'Sycamore', 'Hazel', 'Birch', 'Cedar',
  'Victoria', 'Albert', 'Station', 'Church', 'Mill', 'Park', 'Queen', 'King', 'George', 'Grange', 'Manor',
  'Meadow', 'Orchard', 'Priory', 'Abbey', 'Canal', 'Bridge', 'Market', 'North', 'South', 'West', 'East',
  'Highfield', 'Springfield', 'Brook', 'Greenacre', 'Cromwell', 'Nelson', 'Wellington', 'Milton', 'Shelley',
  'Kingfisher', 'Heron', 'Swallow', 'Lark', 'Foxglove', 'Bluebell', 'Primrose', 'Clover', 'Heather', 'Moorland',
  'Quarry', 'Forge', 'Tannery', 'Weaver', 'Cotton', 'Foundry', 'Ropewalk', 'Chapel', 'School', 'Vicarage',
  'Rectory', 'Glebe', 'Windmill', 'Ferry', 'Harbour', 'Riverside', 'Lime', 'Poplar', 'Laburnum', 'Lilac',
];

export const streetSuffixes = [
  'Road', 'Street', 'Lane', 'Avenue', 'Close', 'Drive', 'Way', 'Grove', 'Crescent', 'Gardens', 'Place', 'Court',
  'Terrace', 'View', 'Rise', 'Walk', 'Mews',
];

/** How agencies shorten street types when they key an address. */
export const streetAbbreviations: Readonly<Record<string, string>> = {
  Road: 'Rd', Street: 'St', Lane: 'Ln', Avenue: 'Ave', Close: 'Cl', Drive: 'Dr', Crescent: 'Cres',
  Gardens: 'Gdns', Place: 'Pl', Court: 'Ct', Terrace: 'Terr',
};

/** Names of blocks of flats, for "Flat 3, Heron House". */
export const buildingNames = [
  'Heron House', 'Kingfisher Court', 'Mill House', 'Victoria Court', 'Beech House', 'Canal Wharf', 'Foundry Court',
  'Priory Lodge', 'Weavers Court', 'Station House', 'Brook House', 'Tannery Court', 'Meadow View', 'Ash House',
];

export const schoolStems = [
  'Ashfield', 'Brookside', 'Meadowbank', 'Hillcrest', 'Riverside', 'Oakwood', 'Larkspur', 'Fernhill', 'Kingsway',
  'Westfield', 'Greenacres', 'Moorside', 'Springwell', 'Orchard Vale', 'Highgate', 'Beechwood', 'Millfield',
  'Parkside', 'Woodlands', 'Hollybank', 'Rosehill', 'Lime Tree', 'Sandbrook', 'Harewood', 'Linden', 'Elmridge',
];

export const saints = ['Mary', 'Joseph', 'Peter', 'Anne', 'Michael', 'John', 'Bede', 'Chad', 'Hilda', 'Aidan', 'Cuthbert', 'Teresa'];

export const surgeryStems = [
  'Riverside', 'Market Street', 'Church View', 'The Willows', 'Parkside', 'Station Road', 'Abbey', 'Canalside',
  'Highfield', 'Meadowbrook', 'Orchard', 'Priory', 'Castle Mead', 'Hawthorn', 'Millstream', 'Northgate',
];

/** Places in town where incidents happen away from home (incident locations, never an address). */
export const publicPlaces = [
  'Outside the shops on {street}', 'Car park of {town} leisure centre', '{town} bus station', '{town} town centre',
  'Outside a public house on {street}', 'Playing field off {street}', 'Outside the school gates on {street}',
  'Supermarket car park, {street}', 'Petrol station forecourt on {street}', 'Footpath near {street}',
];
