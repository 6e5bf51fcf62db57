// Python 3.12 syntax (Python Language Reference, "Full Grammar specification"),
// shaped for ANTLR's LL(*) prediction: expressions and targets share rules and are
// left-factored so that nearly every decision needs one or two tokens of lookahead.
// Rules that accept more than Python does (assignment targets, parameter order,
// pattern shapes) are narrowed by the checks in src/SyntaxChecks.cpp.
parser grammar PythonParser;

options { tokenVocab = PythonLexer; }

file_input : (NEWLINE | stmt)* EOF;

// ---------------------------------------------------------------- statements
stmt : compound_stmt | simple_stmts;

simple_stmts : simple_stmt (SEMI simple_stmt)* SEMI? NEWLINE;

simple_stmt
    : type_alias
    | expr_stmt
    | del_stmt
    | pass_stmt
    | flow_stmt
    | import_stmt
    | global_stmt
    | nonlocal_stmt
    | assert_stmt
    ;

// Assignment, augmented and annotated assignment, and expression statements.
expr_stmt
    : testlist_star_expr
      ( annassign
      | augassign (yield_expr | testlist_star_expr)
      | (EQUAL (yield_expr | testlist_star_expr))*
      )
    ;

annassign : COLON test (EQUAL (yield_expr | testlist_star_expr))?;

augassign
    : PLUSEQUAL | MINEQUAL | STAREQUAL | ATEQUAL | SLASHEQUAL | PERCENTEQUAL
    | AMPEREQUAL | VBAREQUAL | CIRCUMFLEXEQUAL | LEFTSHIFTEQUAL | RIGHTSHIFTEQUAL
    | DOUBLESTAREQUAL | DOUBLESLASHEQUAL
    ;

type_alias : TYPE name type_params? EQUAL test;

del_stmt : DEL exprlist;

pass_stmt : PASS;

flow_stmt : break_stmt | continue_stmt | return_stmt | raise_stmt | yield_stmt;

break_stmt : BREAK;

continue_stmt : CONTINUE;

return_stmt : RETURN testlist_star_expr?;

raise_stmt : RAISE (test (FROM test)?)?;

yield_stmt : yield_expr;

import_stmt : import_name | import_from;

import_name : IMPORT dotted_as_names;

import_from
    : FROM (DOT | ELLIPSIS)* dotted_name? IMPORT
      (STAR | LPAR import_as_names COMMA? RPAR | import_as_names)
    ;

import_as_name : name (AS name)?;

dotted_as_name : dotted_name (AS name)?;

import_as_names : import_as_name (COMMA import_as_name)*;

dotted_as_names : dotted_as_name (COMMA dotted_as_name)*;

dotted_name : name (DOT name)*;

global_stmt : GLOBAL name (COMMA name)*;

nonlocal_stmt : NONLOCAL name (COMMA name)*;

assert_stmt : ASSERT test (COMMA test)?;

compound_stmt
    : if_stmt
    | while_stmt
    | for_stmt
    | try_stmt
    | with_stmt
    | funcdef
    | classdef
    | decorated
    | async_stmt
    | match_stmt
    ;

async_stmt : ASYNC (funcdef | with_stmt | for_stmt);

if_stmt
    : IF namedexpr_test COLON block
      (ELIF namedexpr_test COLON block)*
      (ELSE COLON block)?
    ;

while_stmt : WHILE namedexpr_test COLON block (ELSE COLON block)?;

for_stmt : FOR exprlist IN testlist_star_expr COLON block (ELSE COLON block)?;

try_stmt
    : TRY COLON block
      ( (except_clause COLON block)+ (ELSE COLON block)? (FINALLY COLON block)?
      | FINALLY COLON block
      )
    ;

except_clause : EXCEPT STAR? (test (AS name)?)?;

// A parenthesised list of context managers is tried first, as CPython does.
with_stmt
    : WITH ( LPAR with_item (COMMA with_item)* COMMA? RPAR
           | with_item (COMMA with_item)*
           ) COLON block
    ;

with_item : test (AS expr)?;

block : simple_stmts | NEWLINE INDENT stmt+ DEDENT;

// ---------------------------------------------------------------- definitions
decorator : AT namedexpr_test NEWLINE;

decorators : decorator+;

decorated : decorators (classdef | funcdef | async_funcdef);

async_funcdef : ASYNC funcdef;

funcdef : DEF name type_params? parameters (RARROW test)? COLON block;

parameters : LPAR typedargslist? RPAR;

// Parameter order ('/', '*', '**', defaults) is checked after parsing.
typedargslist : typed_param (COMMA typed_param)* COMMA?;

typed_param
    : tfpdef (EQUAL test)?
    | SLASH
    | STAR (name (COLON (test | star_expr))?)?
    | DOUBLESTAR tfpdef
    ;

tfpdef : name (COLON test)?;

varargslist : lambda_param (COMMA lambda_param)* COMMA?;

lambda_param
    : name (EQUAL test)?
    | SLASH
    | STAR name?
    | DOUBLESTAR name
    ;

classdef : CLASS name type_params? (LPAR arglist? RPAR)? COLON block;

type_params : LSQB type_param (COMMA type_param)* COMMA? RSQB;

type_param : name (COLON test)? | STAR name | DOUBLESTAR name;

// ---------------------------------------------------------------- match
match_stmt : MATCH subject_expr COLON NEWLINE INDENT case_block+ DEDENT;

subject_expr : (namedexpr_test | star_expr) (COMMA (namedexpr_test | star_expr))* COMMA?;

case_block : CASE patterns guard? COLON block;

guard : IF namedexpr_test;

patterns : maybe_star_pattern (COMMA maybe_star_pattern)* COMMA?;

pattern : or_pattern (AS name)?;

or_pattern : closed_pattern (VBAR closed_pattern)*;

closed_pattern
    : literal_pattern
    | name_or_class_pattern
    | group_or_sequence_pattern
    | list_pattern
    | mapping_pattern
    ;

// Signed numbers, complex numbers, strings, None, True, False.
literal_pattern
    : MINUS? NUMBER ((PLUS | MINUS) NUMBER)?
    | strings
    | NONE
    | TRUE
    | FALSE
    ;

// Capture pattern, wildcard '_', dotted value pattern, or class pattern.
name_or_class_pattern : name (DOT name)* (LPAR pattern_arguments? RPAR)?;

pattern_arguments : pattern_argument (COMMA pattern_argument)* COMMA?;

pattern_argument : name EQUAL pattern | pattern;

// '(p)' is a group, '()' and '(p,)' and '(p, q)' are sequences.
group_or_sequence_pattern : LPAR (maybe_star_pattern (COMMA maybe_star_pattern)* COMMA?)? RPAR;

list_pattern : LSQB (maybe_star_pattern (COMMA maybe_star_pattern)* COMMA?)? RSQB;

maybe_star_pattern : STAR name | pattern;

mapping_pattern : LBRACE (mapping_item (COMMA mapping_item)* COMMA?)? RBRACE;

mapping_item : (literal_pattern | name (DOT name)+) COLON pattern | DOUBLESTAR name;

// ---------------------------------------------------------------- expressions
namedexpr_test : name COLONEQUAL test | test;

test : or_test (IF or_test ELSE test)? | lambdef;

lambdef : LAMBDA varargslist? COLON test;

or_test : and_test (OR and_test)*;

and_test : not_test (AND not_test)*;

not_test : NOT not_test | comparison;

comparison : expr (comp_op expr)*;

comp_op
    : LESS | GREATER | EQEQUAL | GREATEREQUAL | LESSEQUAL | NOTEQUAL
    | IN | NOT IN | IS NOT | IS
    ;

star_expr : STAR expr;

expr : xor_expr (VBAR xor_expr)*;

xor_expr : and_expr (CIRCUMFLEX and_expr)*;

and_expr : shift_expr (AMPER shift_expr)*;

shift_expr : arith_expr ((LEFTSHIFT | RIGHTSHIFT) arith_expr)*;

arith_expr : term ((PLUS | MINUS) term)*;

term : factor ((STAR | SLASH | PERCENT | DOUBLESLASH | AT) factor)*;

factor : (PLUS | MINUS | TILDE) factor | power;

power : await_primary (DOUBLESTAR factor)?;

await_primary : AWAIT? atom trailer*;

atom
    : LPAR (yield_expr | testlist_comp)? RPAR
    | LSQB testlist_comp? RSQB
    | LBRACE dictorsetmaker? RBRACE
    | name
    | NUMBER
    | strings
    | ELLIPSIS
    | NONE
    | TRUE
    | FALSE
    ;

name : NAME | MATCH | CASE | TYPE | UNDERSCORE;

strings : (STRING | fstring)+;

fstring : FSTRING_START (FSTRING_MIDDLE | fstring_replacement_field)* FSTRING_END;

fstring_replacement_field
    : LBRACE (yield_expr | testlist_star_expr) EQUAL?
      (EXCLAMATION name)?
      (COLON (FSTRING_MIDDLE | fstring_replacement_field)*)?
      RBRACE
    ;

testlist_comp
    : (namedexpr_test | star_expr)
      (comp_for | (COMMA (namedexpr_test | star_expr))* COMMA?)
    ;

trailer : LPAR arglist? RPAR | LSQB subscriptlist RSQB | DOT name;

subscriptlist : subscript (COMMA subscript)* COMMA?;

subscript
    : star_expr
    | name COLONEQUAL test
    | test (COLON test? sliceop?)?
    | COLON test? sliceop?
    ;

sliceop : COLON test?;

exprlist : (expr | star_expr) (COMMA (expr | star_expr))* COMMA?;

testlist : test (COMMA test)* COMMA?;

testlist_star_expr : (test | star_expr) (COMMA (test | star_expr))* COMMA?;

// Dictionaries and sets, left-factored on the first item.
dictorsetmaker
    : DOUBLESTAR expr dict_rest
    | star_expr set_rest
    | name COLONEQUAL test set_rest
    | test (COLON test dict_rest | set_rest)
    ;

dict_rest : comp_for | (COMMA dict_item)* COMMA?;

dict_item : test COLON test | DOUBLESTAR expr;

set_rest : comp_for | (COMMA (namedexpr_test | star_expr))* COMMA?;

arglist : argument (COMMA argument)* COMMA?;

argument
    : name COLONEQUAL test
    | name EQUAL test
    | test comp_for?
    | DOUBLESTAR test
    | STAR test
    ;

comp_iter : comp_for | comp_if;

comp_for : ASYNC? FOR exprlist IN or_test comp_iter?;

comp_if : IF or_test comp_iter?;

yield_expr : YIELD (FROM test | testlist_star_expr)?;
