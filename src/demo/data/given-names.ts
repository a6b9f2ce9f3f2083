// Given names by background and generation, written for Hearth from the published popularity
// of names in England and Wales (see SOURCES.md). Children's lists reflect births since about
// 2005, adults' lists births from about 1965 to 2004. Order carries no weight.

export const backgrounds = [
  'british',
  'eastern_european',
  'pakistani_bangladeshi',
  'indian',
  'black_african',
  'black_caribbean',
  'chinese',
] as const;

export type Background = (typeof backgrounds)[number];

export interface GivenNameLists {
  girls: readonly string[];
  boys: readonly string[];
  women: readonly string[];
  men: readonly string[];
  /** Names of people born before about 1965, where they differ. */
  olderWomen?: readonly string[];
  olderMen?: readonly string[];
}

export const givenNames: Record<Background, GivenNameLists> = {
  british: {
    girls: [
      'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya',
      'Willow', 'Florence', 'Emily', 'Ella', 'Poppy', 'Evie', 'Elsie', 'Charlotte', 'Evelyn', 'Sienna', 'Sofia',
      'Daisy', 'Phoebe', 'Sophie', 'Alice', 'Harper', 'Matilda', 'Ruby', 'Emilia', 'Maya', 'Millie', 'Isabelle',
      'Ellie', 'Chloe', 'Jessica', 'Lucy', 'Erin', 'Scarlett', 'Holly', 'Megan', 'Lola', 'Eva', 'Layla', 'Hannah',
      'Lacey', 'Amber', 'Imogen', 'Katie', 'Leah', 'Molly', 'Bethany', 'Lauren', 'Abigail', 'Madison', 'Georgia',
      'Paige', 'Eleanor', 'Esme', 'Lottie', 'Harriet', 'Niamh', 'Summer', 'Maisie', 'Darcey', 'Libby', 'Aria',
      'Violet', 'Elizabeth', 'Rebecca', 'Katherine', 'Victoria', 'Alexandra', 'Jasmine', 'Skye', 'Courtney',
      'Kayleigh', 'Mollie', 'Tilly', 'Bonnie', 'Nancy', 'Orla', 'Aimee', 'Caitlin', 'Gracie-Mae', 'Lily-Rose',
    ],
    boys: [
      'Noah', 'Oliver', 'George', 'Arthur', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry', 'Theodore', 'Freddie',
      'Jack', 'Charlie', 'Theo', 'Alfie', 'Jacob', 'Thomas', 'Finley', 'Arlo', 'William', 'Lucas', 'Roman',
      'Tommy', 'Isaac', 'Teddy', 'Alexander', 'Luca', 'Edward', 'James', 'Joshua', 'Albie', 'Elijah', 'Max',
      'Reggie', 'Harrison', 'Ethan', 'Daniel', 'Samuel', 'Logan', 'Riley', 'Joseph', 'Jayden', 'Kai', 'Dylan',
      'Lewis', 'Callum', 'Mason', 'Tyler', 'Liam', 'Connor', 'Owen', 'Kieran', 'Ryan', 'Bradley', 'Jake', 'Luke',
      'Benjamin', 'Matthew', 'Nathan', 'Jamie', 'Adam', 'Harvey', 'Louie', 'Ronnie', 'Stanley', 'Frankie',
      'Jenson', 'Sebastian', 'Ellis', 'Toby', 'Zachary', 'Michael', 'Christopher', 'Jonathan', 'Nicholas',
      'Cameron', 'Reece', 'Kyle', 'Ashton', 'Brandon', 'Rhys', 'Billy', 'Jaxon', 'Rory', 'Hugo', 'Alfie-James',
    ],
    women: [
      'Sarah', 'Emma', 'Laura', 'Rebecca', 'Gemma', 'Claire', 'Nicola', 'Kelly', 'Lisa', 'Michelle', 'Amy',
      'Hayley', 'Stacey', 'Charlotte', 'Jessica', 'Samantha', 'Louise', 'Victoria', 'Katie', 'Lauren', 'Jade',
      'Natalie', 'Danielle', 'Kirsty', 'Leanne', 'Zoe', 'Donna', 'Joanne', 'Rachel', 'Kerry', 'Amanda',
      'Jennifer', 'Stephanie', 'Chelsea', 'Shannon', 'Chloe', 'Sophie', 'Megan', 'Holly', 'Abbie', 'Kayleigh',
      'Jodie', 'Carly', 'Sian', 'Emily', 'Hannah', 'Bethany', 'Elizabeth', 'Helen', 'Catherine', 'Karen',
      'Tracey', 'Julie', 'Dawn', 'Susan', 'Angela', 'Deborah', 'Natasha', 'Melissa', 'Jasmine', 'Toni',
      'Kimberley', 'Lindsey', 'Alison', 'Jacqueline', 'Margaret', 'Christine', 'Patricia', 'Elaine', 'Sharon',
      'Tina', 'Wendy', 'Paula', 'Joanna', 'Katherine', 'Alexandra', 'Georgina', 'Becky', 'Charlene', 'Leah',
    ],
    men: [
      'David', 'Paul', 'Mark', 'Andrew', 'Richard', 'Christopher', 'James', 'Daniel', 'Michael', 'Matthew',
      'Darren', 'Lee', 'Stephen', 'Steven', 'Craig', 'Jason', 'Gary', 'Wayne', 'Dean', 'Scott', 'Neil', 'Carl',
      'Robert', 'John', 'Anthony', 'Simon', 'Ian', 'Kevin', 'Jamie', 'Ryan', 'Thomas', 'Adam', 'Ashley', 'Luke',
      'Jordan', 'Liam', 'Kyle', 'Nathan', 'Aaron', 'Callum', 'Connor', 'Jack', 'Joshua', 'Benjamin', 'Samuel',
      'Jake', 'Lewis', 'Kieran', 'Shaun', 'Martin', 'Peter', 'Stuart', 'Philip', 'Jonathan', 'Alexander',
      'Joseph', 'Gareth', 'Nicholas', 'Timothy', 'Graham', 'Keith', 'Alan', 'Barry', 'Terry', 'Brian', 'Colin',
      'Ross', 'Sean', 'Bradley', 'Danny', 'Tony', 'Mitchell', 'Reece', 'Jay', 'Dale', 'Russell', 'Edward',
      'William', 'Harry', 'George',
    ],
    olderWomen: [
      'Margaret', 'Patricia', 'Susan', 'Christine', 'Linda', 'Janet', 'Carol', 'Barbara', 'Jean', 'Maureen', 'Sandra',
      'Pauline', 'Kathleen', 'Valerie', 'Brenda', 'Sheila', 'Doreen', 'Joan', 'Elaine', 'Gillian', 'Ann', 'Irene',
      'Mary', 'Dorothy', 'Jacqueline', 'Lesley', 'Julie', 'Karen', 'Wendy', 'Beryl',
    ],
    olderMen: [
      'John', 'David', 'Michael', 'Peter', 'Robert', 'Brian', 'Alan', 'Keith', 'Anthony', 'Barry', 'Colin', 'Kenneth',
      'Terence', 'Raymond', 'Roy', 'Derek', 'Geoffrey', 'Malcolm', 'Trevor', 'Graham', 'Stephen', 'Christopher',
      'William', 'James', 'Dennis', 'Ronald', 'Gordon', 'Philip', 'Leslie', 'Frank',
    ],
  },
  eastern_european: {
    girls: [
      'Oliwia', 'Zuzanna', 'Julia', 'Maja', 'Lena', 'Hanna', 'Amelia', 'Zofia', 'Alicja', 'Natalia', 'Wiktoria',
      'Emilia', 'Laura', 'Maria', 'Antonina', 'Sara', 'Ioana', 'Daria', 'Sofia', 'Karina', 'Gabriela', 'Nikola',
      'Milena', 'Ema', 'Ugne', 'Kamila',
    ],
    boys: [
      'Jakub', 'Szymon', 'Filip', 'Antoni', 'Kacper', 'Oliver', 'Aleksander', 'David', 'Luca', 'Matei', 'Stefan',
      'Franciszek', 'Mikołaj', 'Wojciech', 'Adam', 'Dawid', 'Igor', 'Nikodem', 'Andrei', 'Matas', 'Lukas',
      'Dominik', 'Patryk', 'Bartosz', 'Tymon',
    ],
    women: [
      'Anna', 'Agnieszka', 'Katarzyna', 'Magdalena', 'Monika', 'Joanna', 'Karolina', 'Aleksandra', 'Natalia',
      'Ewa', 'Marta', 'Justyna', 'Andreea', 'Ioana', 'Elena', 'Maria', 'Alina', 'Roxana', 'Daiva', 'Ieva', 'Rasa',
      'Małgorzata', 'Beata', 'Dorota', 'Paulina', 'Sylwia', 'Izabela', 'Kristina', 'Irina', 'Mihaela',
    ],
    men: [
      'Piotr', 'Tomasz', 'Krzysztof', 'Marcin', 'Michał', 'Paweł', 'Łukasz', 'Kamil', 'Mateusz', 'Jakub',
      'Andrei', 'Alexandru', 'Ionut', 'Florin', 'Mihai', 'Darius', 'Tomas', 'Mindaugas', 'Jonas', 'Grzegorz',
      'Marek', 'Rafał', 'Dariusz', 'Sebastian', 'Adrian', 'Bogdan', 'Cristian', 'Vasile', 'Arturas', 'Robert',
    ],
  },
  pakistani_bangladeshi: {
    girls: [
      'Maryam', 'Aisha', 'Fatima', 'Hafsa', 'Zainab', 'Amira', 'Khadija', 'Safa', 'Inaaya', 'Eesha', 'Hania',
      'Zara', 'Aleena', 'Iqra', 'Anaya', 'Aminah', 'Sumayyah', 'Hajra', 'Mariam', 'Humaira', 'Ayesha', 'Laiba',
      'Nusaybah', 'Tasnim', 'Sadia',
    ],
    boys: [
      'Muhammad', 'Mohammed', 'Ibrahim', 'Yusuf', 'Ayaan', 'Zain', 'Adam', 'Ali', 'Hamza', 'Musa', 'Ismail',
      'Zakariya', 'Rayyan', 'Idris', 'Omar', 'Haris', 'Abdullah', 'Yahya', 'Ahmed', 'Hassan', 'Bilal', 'Ayan',
      'Arham', 'Mikail', 'Rehan',
    ],
    women: [
      'Ayesha', 'Fatima', 'Nadia', 'Saima', 'Shazia', 'Samina', 'Rubina', 'Nasreen', 'Sadia', 'Amina', 'Hina',
      'Farah', 'Rukhsana', 'Shabana', 'Sumaya', 'Maryam', 'Nazia', 'Tahira', 'Shahida', 'Rehana', 'Yasmin',
      'Parveen', 'Salma', 'Razia', 'Sabina', 'Rukhsar', 'Nusrat', 'Asma', 'Bushra', 'Uzma',
    ],
    men: [
      'Mohammed', 'Muhammad', 'Imran', 'Asif', 'Tariq', 'Zubair', 'Kamran', 'Adnan', 'Bilal', 'Faisal',
      'Shahid', 'Arif', 'Nadeem', 'Sajid', 'Waqas', 'Usman', 'Hamza', 'Abdul', 'Rashid', 'Shahzad', 'Mahmud',
      'Jamal', 'Sohail', 'Naveed', 'Amjad', 'Ruhul', 'Shafiq', 'Anwar', 'Habib', 'Kamal',
    ],
  },
  indian: {
    girls: [
      'Anaya', 'Diya', 'Isha', 'Riya', 'Saanvi', 'Jasleen', 'Simran', 'Kiara', 'Aanya', 'Priya', 'Avni', 'Anika',
      'Tara', 'Myra', 'Navya', 'Harleen', 'Jasmine', 'Meera', 'Sana', 'Zoya',
    ],
    boys: [
      'Arjun', 'Aarav', 'Krish', 'Rohan', 'Dev', 'Veer', 'Jay', 'Ishaan', 'Harvir', 'Aryan', 'Kabir', 'Reyansh',
      'Vihaan', 'Aditya', 'Sahil', 'Jaspreet', 'Karan', 'Nikhil', 'Rahul', 'Neil',
    ],
    women: [
      'Priya', 'Anjali', 'Neha', 'Sunita', 'Kiran', 'Harpreet', 'Manpreet', 'Jaswinder', 'Rupinder', 'Pooja',
      'Seema', 'Meena', 'Kavita', 'Nisha', 'Asha', 'Simran', 'Rajinder', 'Sukhvinder', 'Gurpreet', 'Deepa',
      'Shital', 'Hema', 'Rina', 'Sonia', 'Parminder',
    ],
    men: [
      'Rajesh', 'Sanjay', 'Amit', 'Vikram', 'Rakesh', 'Sunil', 'Manjit', 'Harjit', 'Gurpreet', 'Jaspal',
      'Sandeep', 'Ravi', 'Anil', 'Deepak', 'Kuldeep', 'Hardeep', 'Nikhil', 'Rohan', 'Mukesh', 'Ashok',
      'Jatinder', 'Baljit', 'Kamaljit', 'Vijay', 'Hitesh',
    ],
  },
  black_african: {
    girls: [
      'Grace', 'Favour', 'Precious', 'Esther', 'Ruth', 'Tiwa', 'Adaeze', 'Amara', 'Zara', 'Nia', 'Imani',
      'Abigail', 'Deborah', 'Hodan', 'Ayan', 'Nimco', 'Chiamaka', 'Temi', 'Oluwatobi', 'Naomi',
    ],
    boys: [
      'David', 'Daniel', 'Joshua', 'Samuel', 'Emmanuel', 'Elijah', 'Jayden', 'Tobi', 'Ayo', 'Josiah', 'Caleb',
      'Nathaniel', 'Mustafa', 'Abdirahman', 'Kwame', 'Chidi', 'Ethan', 'Jeremiah', 'Isaac', 'Micah',
    ],
    women: [
      'Grace', 'Blessing', 'Abena', 'Ama', 'Chioma', 'Funmilayo', 'Adaeze', 'Ngozi', 'Amina', 'Fatuma', 'Hodan',
      'Ruth', 'Esther', 'Faith', 'Precious', 'Chipo', 'Tolu', 'Yetunde', 'Comfort', 'Joy', 'Sahra', 'Nkechi',
      'Rutendo', 'Akosua', 'Folake',
    ],
    men: [
      'Emmanuel', 'Samuel', 'Daniel', 'Oluwaseun', 'Chinedu', 'Kwame', 'Kofi', 'Tunde', 'Ibrahim', 'Abdi',
      'Mohamed', 'Femi', 'Segun', 'Joseph', 'Godfrey', 'Tendai', 'Tafadzwa', 'Blessing', 'Kwabena', 'Chukwuma',
      'Olumide', 'Yaw', 'Ahmed', 'Farah', 'Tinashe',
    ],
  },
  black_caribbean: {
    girls: [
      'Jayda', 'Amani', 'Kaliyah', 'Nia', 'Aaliyah', 'Jada', 'Tia', 'Shania', 'Malia', 'Chantelle', 'Kiara',
      'Destiny', 'Leah', 'Maya', 'Aaliyah-Rose', 'Ellie', 'Mya', 'Serena', 'Zion', 'Kamiyah',
    ],
    boys: [
      'Jayden', 'Kai', 'Malachi', 'Tyrese', 'Zion', 'Isaiah', 'Marley', 'Reuben', 'Elijah', 'Kymani', 'Jaheim',
      'Nathaniel', 'Tyler', 'Josiah', 'Ezra', 'Daniel', 'Jordan', 'Riley', 'Kairo', 'Levi',
    ],
    women: [
      'Shanice', 'Tanya', 'Keisha', 'Monique', 'Natalie', 'Sharon', 'Marcia', 'Simone', 'Jasmine', 'Paulette',
      'Charlene', 'Donna', 'Michelle', 'Nadine', 'Kerry-Ann', 'Samantha', 'Lorraine', 'Denise', 'Yvonne',
      'Tamara', 'Latoya', 'Sophia', 'Andrea', 'Claudette', 'Kelly',
    ],
    men: [
      'Marcus', 'Andre', 'Jermaine', 'Dwayne', 'Leon', 'Tyrone', 'Delroy', 'Clive', 'Winston', 'Trevor', 'Curtis',
      'Kieron', 'Devon', 'Errol', 'Wesley', 'Nathan', 'Jerome', 'Carlton', 'Ricardo', 'Anthony', 'Michael',
      'Darnell', 'Kevin', 'Damian', 'Lloyd',
    ],
  },
  chinese: {
    girls: ['Chloe', 'Emily', 'Grace', 'Isabella', 'Mia', 'Yan', 'Jia', 'Xin', 'Amy', 'Hannah', 'Lily', 'Ruby'],
    boys: ['Ethan', 'Ryan', 'Lucas', 'Oscar', 'Jayden', 'Hao', 'Jun', 'Yi', 'Max', 'Aiden', 'Kevin', 'Leo'],
    women: ['Li', 'Mei', 'Xin', 'Jenny', 'Grace', 'Wendy', 'Ying', 'Hui', 'Lin', 'Annie', 'Fiona', 'Yan'],
    men: ['Wei', 'Jun', 'Ming', 'Kevin', 'Jason', 'Michael', 'Hao', 'Jian', 'Tony', 'Peter', 'Chen', 'Feng'],
  },
};

/** Census 2021 shares for England, folded into the groups above (mixed couples are made separately). */
export const backgroundWeights: readonly (readonly [Background, number])[] = [
  ['british', 76],
  ['eastern_european', 6.5],
  ['pakistani_bangladeshi', 4.2],
  ['indian', 3.5],
  ['black_african', 2.8],
  ['black_caribbean', 1.2],
  ['chinese', 0.8],
];

/** Middle names parents commonly give, by background (a few, to make middle-name noise possible). */
export const middleNames: Record<Background, { female: readonly string[]; male: readonly string[] }> = {
  british: {
    female: ['Rose', 'Mae', 'Grace', 'Louise', 'Jane', 'Elizabeth', 'Marie', 'Anne', 'May', 'Lily', 'Jade', 'Ann'],
    male: ['James', 'John', 'Michael', 'David', 'Lee', 'Thomas', 'William', 'Paul', 'Robert', 'Peter', 'Jay', 'George'],
  },
  eastern_european: {
    female: ['Maria', 'Anna', 'Ewa', 'Elena', 'Zofia'],
    male: ['Jan', 'Piotr', 'Andrei', 'Marek', 'Józef'],
  },
  pakistani_bangladeshi: {
    female: ['Noor', 'Bibi', 'Begum', 'Fatima', 'Jannat'],
    male: ['Ali', 'Hussain', 'Ahmed', 'Rehman', 'Hassan', 'Yusuf', 'Karim', 'Rafiq'],
  },
  indian: {
    female: ['Kaur', 'Devi', 'Ben', 'Kumari'],
    male: ['Singh', 'Kumar', 'Bhai', 'Lal'],
  },
  black_african: {
    female: ['Oluwaseun', 'Adanna', 'Abimbola', 'Grace', 'Esi'],
    male: ['Oluwadamilare', 'Chukwudi', 'Kwaku', 'Ayodele', 'Kofi'],
  },
  black_caribbean: {
    female: ['Marie', 'Grace', 'Louise', 'Rose'],
    male: ['Anthony', 'Junior', 'Lee', 'Jerome'],
  },
  chinese: {
    female: ['Mei', 'Xiu', 'Ling'],
    male: ['Wei', 'Jun', 'Ming'],
  },
};
