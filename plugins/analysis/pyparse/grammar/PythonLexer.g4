// Tokens of Python 3.12 (Python Language Reference, "Lexical analysis").
// INDENT, DEDENT and the NEWLINE filtering inside brackets are produced by the
// token source in src/TokenSource.cpp, which also switches the f-string modes
// below; no rule here carries a predicate, so the lexer DFA stays cacheable.
// Line endings are normalised to '\n' before lexing.
lexer grammar PythonLexer;

tokens { INDENT, DEDENT, FSTRING_MIDDLE, FSTRING_END }

// Hard keywords.
FALSE : 'False'; NONE : 'None'; TRUE : 'True'; AND : 'and'; AS : 'as';
ASSERT : 'assert'; ASYNC : 'async'; AWAIT : 'await'; BREAK : 'break';
CLASS : 'class'; CONTINUE : 'continue'; DEF : 'def'; DEL : 'del';
ELIF : 'elif'; ELSE : 'else'; EXCEPT : 'except'; FINALLY : 'finally';
FOR : 'for'; FROM : 'from'; GLOBAL : 'global'; IF : 'if'; IMPORT : 'import';
IN : 'in'; IS : 'is'; LAMBDA : 'lambda'; NONLOCAL : 'nonlocal'; NOT : 'not';
OR : 'or'; PASS : 'pass'; RAISE : 'raise'; RETURN : 'return'; TRY : 'try';
WHILE : 'while'; WITH : 'with'; YIELD : 'yield';

// Soft keywords: the parser accepts them wherever a name may stand.
MATCH : 'match'; CASE : 'case'; TYPE : 'type'; UNDERSCORE : '_';

// Operators and delimiters.
LPAR : '('; RPAR : ')'; LSQB : '['; RSQB : ']'; LBRACE : '{'; RBRACE : '}';
COLON : ':'; COMMA : ','; SEMI : ';'; PLUS : '+'; MINUS : '-'; STAR : '*';
SLASH : '/'; VBAR : '|'; AMPER : '&'; LESS : '<'; GREATER : '>'; EQUAL : '=';
DOT : '.'; PERCENT : '%'; EQEQUAL : '=='; NOTEQUAL : '!='; LESSEQUAL : '<=';
GREATEREQUAL : '>='; TILDE : '~'; CIRCUMFLEX : '^'; LEFTSHIFT : '<<';
RIGHTSHIFT : '>>'; DOUBLESTAR : '**'; PLUSEQUAL : '+='; MINEQUAL : '-=';
STAREQUAL : '*='; SLASHEQUAL : '/='; PERCENTEQUAL : '%='; AMPEREQUAL : '&=';
VBAREQUAL : '|='; CIRCUMFLEXEQUAL : '^='; LEFTSHIFTEQUAL : '<<=';
RIGHTSHIFTEQUAL : '>>='; DOUBLESTAREQUAL : '**='; DOUBLESLASH : '//';
DOUBLESLASHEQUAL : '//='; AT : '@'; ATEQUAL : '@='; RARROW : '->';
ELLIPSIS : '...'; COLONEQUAL : ':='; EXCLAMATION : '!';

// Numbers: integers, floats and imaginary literals, with '_' between digits.
NUMBER : DEC_INTEGER | BIN_INTEGER | OCT_INTEGER | HEX_INTEGER | FLOAT_NUMBER | IMAG_NUMBER;
fragment DEC_INTEGER : [1-9] ('_'? [0-9])* | '0'+ ('_'? '0')*;
fragment BIN_INTEGER : '0' [bB] ('_'? [01])+;
fragment OCT_INTEGER : '0' [oO] ('_'? [0-7])+;
fragment HEX_INTEGER : '0' [xX] ('_'? [0-9a-fA-F])+;
fragment DIGIT_PART : [0-9] ('_'? [0-9])*;
fragment FRACTION : '.' DIGIT_PART;
fragment EXPONENT : [eE] [+-]? DIGIT_PART;
fragment POINT_FLOAT : DIGIT_PART? FRACTION | DIGIT_PART '.';
fragment FLOAT_NUMBER : POINT_FLOAT EXPONENT? | DIGIT_PART EXPONENT;
fragment IMAG_NUMBER : (FLOAT_NUMBER | DIGIT_PART) [jJ];

// String and bytes literals other than f-strings, all prefixes, short and long forms.
STRING : STRING_PREFIX? (SHORT_SQ | SHORT_DQ | LONG_SQ | LONG_DQ);
fragment STRING_PREFIX : [rRuUbB] | [bB] [rR] | [rR] [bB];
fragment SHORT_SQ : '\'' (~[\\\n'] | '\\' .)* '\'';
fragment SHORT_DQ : '"' (~[\\\n"] | '\\' .)* '"';
fragment LONG_SQ : '\'\'\'' (~'\\' | '\\' .)*? '\'\'\'';
fragment LONG_DQ : '"""' (~'\\' | '\\' .)*? '"""';

// A string whose closing quote is missing; reported with Python's message. An
// unterminated triple-quoted string lexes as an empty STRING followed by this token.
UNTERMINATED_STRING : STRING_PREFIX? ('\'' (~[\\\n'] | '\\' .)* | '"' (~[\\\n"] | '\\' .)*);

// The opening of an f-string; the token source enters the matching body mode.
FSTRING_START : F_PREFIX ('\'' | '"' | '\'\'\'' | '"""');
fragment F_PREFIX : [fF] | [fF] [rR] | [rR] [fF];

NAME : ID_START ID_CONTINUE*;
fragment ID_START : [\p{XID_Start}] | '_';
fragment ID_CONTINUE : [\p{XID_Continue}];

NEWLINE : '\n';
LINE_JOIN : '\\' '\n' -> channel(HIDDEN);
WS : [ \t\f]+ -> channel(HIDDEN);
COMMENT : '#' ~[\n]* -> channel(HIDDEN);
ERRORTOKEN : .;


// F-string bodies: one mode per quote kind, raw and not raw (raw has no \N{...}).
// Lone quotes inside triple-quoted bodies, and a backslash that precedes a brace,
// are separate FSTRING_MIDDLE tokens so that the closing quote and escapes such as
// "\\'" always win by longest match.

mode FSTRING_SQ;
FSTRING_SQ_MIDDLE : (~[\\{}'\n] | '{{' | '}}' | '\\N{' ~[}\n']* '}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FSTRING_SQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FSTRING_SQ_END : '\'' -> type(FSTRING_END);
FSTRING_SQ_NEWLINE : '\n' -> type(ERRORTOKEN);
FSTRING_SQ_LBRACE : '{' -> type(LBRACE);
FSTRING_SQ_RBRACE : '}' -> type(RBRACE);

mode FSTRING_DQ;
FSTRING_DQ_MIDDLE : (~[\\{}"\n] | '{{' | '}}' | '\\N{' ~[}\n"]* '}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FSTRING_DQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FSTRING_DQ_END : '"' -> type(FSTRING_END);
FSTRING_DQ_NEWLINE : '\n' -> type(ERRORTOKEN);
FSTRING_DQ_LBRACE : '{' -> type(LBRACE);
FSTRING_DQ_RBRACE : '}' -> type(RBRACE);

mode FSTRING_TSQ;
FSTRING_TSQ_MIDDLE : (~[\\{}'] | '{{' | '}}' | '\\N{' ~[}\n']* '}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FSTRING_TSQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FSTRING_TSQ_QUOTE : '\'' '\''? -> type(FSTRING_MIDDLE);
FSTRING_TSQ_END : '\'' '\'' '\'' -> type(FSTRING_END);
FSTRING_TSQ_LBRACE : '{' -> type(LBRACE);
FSTRING_TSQ_RBRACE : '}' -> type(RBRACE);

mode FSTRING_TDQ;
FSTRING_TDQ_MIDDLE : (~[\\{}"] | '{{' | '}}' | '\\N{' ~[}\n"]* '}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FSTRING_TDQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FSTRING_TDQ_QUOTE : '"' '"'? -> type(FSTRING_MIDDLE);
FSTRING_TDQ_END : '"' '"' '"' -> type(FSTRING_END);
FSTRING_TDQ_LBRACE : '{' -> type(LBRACE);
FSTRING_TDQ_RBRACE : '}' -> type(RBRACE);

mode RAW_FSTRING_SQ;
RAW_FSTRING_SQ_MIDDLE : (~[\\{}'\n] | '{{' | '}}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
RAW_FSTRING_SQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
RAW_FSTRING_SQ_END : '\'' -> type(FSTRING_END);
RAW_FSTRING_SQ_NEWLINE : '\n' -> type(ERRORTOKEN);
RAW_FSTRING_SQ_LBRACE : '{' -> type(LBRACE);
RAW_FSTRING_SQ_RBRACE : '}' -> type(RBRACE);

mode RAW_FSTRING_DQ;
RAW_FSTRING_DQ_MIDDLE : (~[\\{}"\n] | '{{' | '}}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
RAW_FSTRING_DQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
RAW_FSTRING_DQ_END : '"' -> type(FSTRING_END);
RAW_FSTRING_DQ_NEWLINE : '\n' -> type(ERRORTOKEN);
RAW_FSTRING_DQ_LBRACE : '{' -> type(LBRACE);
RAW_FSTRING_DQ_RBRACE : '}' -> type(RBRACE);

mode RAW_FSTRING_TSQ;
RAW_FSTRING_TSQ_MIDDLE : (~[\\{}'] | '{{' | '}}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
RAW_FSTRING_TSQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
RAW_FSTRING_TSQ_QUOTE : '\'' '\''? -> type(FSTRING_MIDDLE);
RAW_FSTRING_TSQ_END : '\'' '\'' '\'' -> type(FSTRING_END);
RAW_FSTRING_TSQ_LBRACE : '{' -> type(LBRACE);
RAW_FSTRING_TSQ_RBRACE : '}' -> type(RBRACE);

mode RAW_FSTRING_TDQ;
RAW_FSTRING_TDQ_MIDDLE : (~[\\{}"] | '{{' | '}}' | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
RAW_FSTRING_TDQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
RAW_FSTRING_TDQ_QUOTE : '"' '"'? -> type(FSTRING_MIDDLE);
RAW_FSTRING_TDQ_END : '"' '"' '"' -> type(FSTRING_END);
RAW_FSTRING_TDQ_LBRACE : '{' -> type(LBRACE);
RAW_FSTRING_TDQ_RBRACE : '}' -> type(RBRACE);

// Format specifications after ':' inside a replacement field.

mode FORMAT_SPEC_SQ;
FORMAT_SPEC_SQ_MIDDLE : (~[\\{}'\n] | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FORMAT_SPEC_SQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FORMAT_SPEC_SQ_END : '\'' -> type(FSTRING_END);
FORMAT_SPEC_SQ_NEWLINE : '\n' -> type(ERRORTOKEN);
FORMAT_SPEC_SQ_LBRACE : '{' -> type(LBRACE);
FORMAT_SPEC_SQ_RBRACE : '}' -> type(RBRACE);

mode FORMAT_SPEC_DQ;
FORMAT_SPEC_DQ_MIDDLE : (~[\\{}"\n] | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FORMAT_SPEC_DQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FORMAT_SPEC_DQ_END : '"' -> type(FSTRING_END);
FORMAT_SPEC_DQ_NEWLINE : '\n' -> type(ERRORTOKEN);
FORMAT_SPEC_DQ_LBRACE : '{' -> type(LBRACE);
FORMAT_SPEC_DQ_RBRACE : '}' -> type(RBRACE);

mode FORMAT_SPEC_TSQ;
FORMAT_SPEC_TSQ_MIDDLE : (~[\\{}'] | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FORMAT_SPEC_TSQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FORMAT_SPEC_TSQ_QUOTE : '\'' '\''? -> type(FSTRING_MIDDLE);
FORMAT_SPEC_TSQ_END : '\'' '\'' '\'' -> type(FSTRING_END);
FORMAT_SPEC_TSQ_LBRACE : '{' -> type(LBRACE);
FORMAT_SPEC_TSQ_RBRACE : '}' -> type(RBRACE);

mode FORMAT_SPEC_TDQ;
FORMAT_SPEC_TDQ_MIDDLE : (~[\\{}"] | '\\' ~[{}])+ -> type(FSTRING_MIDDLE);
FORMAT_SPEC_TDQ_BACKSLASH : '\\' -> type(FSTRING_MIDDLE);
FORMAT_SPEC_TDQ_QUOTE : '"' '"'? -> type(FSTRING_MIDDLE);
FORMAT_SPEC_TDQ_END : '"' '"' '"' -> type(FSTRING_END);
FORMAT_SPEC_TDQ_LBRACE : '{' -> type(LBRACE);
FORMAT_SPEC_TDQ_RBRACE : '}' -> type(RBRACE);
