// Family names by background, written for Hearth from published surname frequencies (see
// SOURCES.md). A pair is [masculine, feminine] for languages whose surnames change with sex.
import type { Background } from './given-names';

export type FamilyName = string | readonly [masculine: string, feminine: string];

export const familyNames: Record<Background, readonly FamilyName[]> = {
  british: [
    'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
    'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
    'Clarke', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark', 'Lee',
    'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker',
    'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey',
    'Collins', 'Bell', 'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards', 'Marshall', 'Anderson', 'Simpson', 'Ellis',
    'Adams', 'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers', 'Gray', 'Mason', 'Hunt', 'Campbell',
    'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes', 'Knight', 'Lloyd', 'Butler', 'Russell', 'Barker',
    'Fisher', 'Stevens', 'Jenkins', 'Murray', 'Dixon', 'Harvey', 'Graham', 'Pearson', 'Fletcher', 'Walsh',
    'Gibson', 'Howard', 'Andrews', 'Stewart', 'Elliott', 'Reynolds', 'Saunders', 'Payne', 'Fox', 'Ford',
    'Pearce', 'Day', 'Brooks', 'West', 'Lawrence', 'Cole', 'Atkinson', 'Bradley', 'Spencer', 'Dawson', 'Ball',
    'Burton', "O'Brien", 'Watts', 'Rose', 'Booth', 'Perry', 'Ryan', 'Grant', 'Wells', 'Armstrong', 'Francis',
    'Rees', 'Hayes', 'Hart', 'Hudson', 'Newman', 'Barrett', 'Webster', 'Hunter', 'Gregory', 'Carr', 'Lowe',
    'Page', 'Marsh', 'Riley', 'Dunn', 'Woods', 'Parsons', 'Berry', 'Stone', 'Reid', 'Holland', 'Hawkins',
    'Harding', 'Porter', 'Robertson', 'Newton', 'Oliver', 'Reed', 'Kennedy', 'Williamson', 'Bird', 'Gardner',
    'Dean', 'Lane', 'Cooke', 'Bates', 'Henderson', 'Parry', 'Burgess', 'Bishop', 'Walton', 'Burns', 'Nicholson',
    'Shepherd', 'Ross', 'Cross', 'Long', 'Freeman', 'Warren', 'Nicholls', 'Hamilton', 'Byrne', 'Sutton',
    'McDonald', 'Yates', 'Hodgson', 'Robson', 'Curtis', 'Hopkins', "O'Connor", 'Harper', 'Coleman', 'Watkins',
    'Moss', 'McCarthy', 'Chambers', "O'Neill", 'Griffin', 'Sharp', 'Hardy', 'Wheeler', 'Potter', 'Osborne',
    'Johnston', 'Gordon', 'Doyle', 'Wallace', 'George', 'Jordan', 'Hutchinson', 'Rowe', 'Burke', 'May',
    'Pritchard', 'Gilbert', 'Willis', 'Higgins', 'Read', 'Miles', 'Stevenson', 'Stephenson', 'Hammond', 'Arnold',
    'Buckley', 'Walters', 'Hewitt', 'Barber', 'Nelson', 'Slater', 'Austin', 'Sullivan', 'Whitehead', 'Mann',
    'Frost', 'Lambert', 'Stephens', 'Blake', 'Lynch', 'Goodwin', 'Barton', 'Woodward', 'Thomson', 'Cunningham',
    'Quinn', 'Barnett', 'Baxter', 'Clayton', 'Nash', 'Greenwood', 'Jennings', 'Holt', 'Kemp', 'Poole',
    'Gallagher', 'Bond', 'Stokes', 'Tucker', 'Davidson', 'Fowler', 'Heath', 'Norman', 'Middleton', 'Lawson',
    'Banks', 'French', 'Stanley', 'Jarvis', 'Gibbs', 'Ferguson', 'Hayward', 'Carroll', 'Farrell', 'Brennan',
    'MacKenzie', 'Sheppard', 'Dobson', 'Wragg', 'Pickering', 'Ashworth', 'Kershaw', 'Hargreaves', 'Whittaker',
  ],
  eastern_european: [
    ['Kowalski', 'Kowalska'], 'Nowak', ['Wiśniewski', 'Wiśniewska'], 'Wójcik', 'Kowalczyk',
    ['Kamiński', 'Kamińska'], ['Lewandowski', 'Lewandowska'], ['Zieliński', 'Zielińska'],
    ['Szymański', 'Szymańska'], ['Dąbrowski', 'Dąbrowska'], 'Kozłowski', 'Mazur', 'Krawczyk', 'Kaczmarek',
    ['Jankowski', 'Jankowska'], 'Popescu', 'Popa', 'Ionescu', 'Dumitru', 'Stan', 'Constantin', 'Rusu',
    ['Kazlauskas', 'Kazlauskienė'], ['Petrauskas', 'Petrauskienė'], ['Jankauskas', 'Jankauskienė'],
    'Horvath', 'Novak', 'Balogh', 'Ivanov', 'Petrov',
  ],
  pakistani_bangladeshi: [
    'Khan', 'Hussain', 'Ahmed', 'Ali', 'Akhtar', 'Iqbal', 'Mahmood', 'Rashid', 'Shah', 'Malik', 'Butt', 'Mirza',
    'Aziz', 'Javed', 'Riaz', 'Rahman', 'Islam', 'Uddin', 'Miah', 'Choudhury', 'Hoque', 'Hassan', 'Rehman',
    'Saleem', 'Zaman', 'Bashir', 'Sultan', 'Ullah', 'Karim', 'Chowdhury',
  ],
  indian: [
    'Patel', ['Singh', 'Kaur'], 'Sharma', 'Kumar', 'Gill', 'Sandhu', 'Sidhu', 'Bains', 'Mistry', 'Shah',
    'Chauhan', 'Joshi', 'Parmar', 'Rai', 'Dhillon', 'Johal', 'Solanki', 'Lad', 'Desai', 'Mehta', 'Gupta',
    'Virdee', 'Kandola', 'Bhatti', 'Sohal',
  ],
  black_african: [
    'Okafor', 'Adeyemi', 'Mensah', 'Osei', 'Boateng', 'Adebayo', 'Okonkwo', 'Mohamed', 'Abdi', 'Hassan',
    'Ndlovu', 'Moyo', 'Owusu', 'Asante', 'Oyelaran', 'Eze', 'Nwosu', 'Ogunleye', 'Balogun', 'Kamara',
    'Mohamud', 'Warsame', 'Ogunbiyi', 'Chikwanha', 'Appiah',
  ],
  black_caribbean: [
    'Campbell', 'Brown', 'Williams', 'Clarke', 'Thompson', 'Grant', 'Francis', 'Reid', 'Stewart', 'Gordon',
    'Morgan', 'Bailey', 'Powell', 'Edwards', 'Johnson', 'Robinson', 'Lewis', 'Samuels', 'Henry', 'Richards',
    'McKenzie', 'Forbes', 'Blackwood', 'Bennett', 'Walters',
  ],
  chinese: ['Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Wong', 'Cheung', 'Lam', 'Chan', 'Ng', 'Lee', 'Ho', 'Yang', 'Wu'],
};

/**
 * Family names many women of these backgrounds carry instead of their husband's or father's:
 * one agency records "Begum", another the husband's name.
 */
export const womensFamilyNames: Partial<Record<Background, readonly string[]>> = {
  pakistani_bangladeshi: ['Begum', 'Bibi', 'Khatun', 'Akhter', 'Nessa'],
};
